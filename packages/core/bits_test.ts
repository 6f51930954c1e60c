import assert from "node:assert/strict";
import fc from "fast-check";
import { BitReader, BitWriter } from "./bits.ts";
import { BitstreamError } from "./errors.ts";

Deno.test("BitWriter and BitReader round-trip any sequence of 1..32-bit fields", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(fc.integer({ min: 1, max: 32 }), fc.double({ min: 0, max: 1, noNaN: true })),
      ),
      (fields) => {
        const writer = new BitWriter(1);
        const expected = fields.map(([bits, u]) => Math.floor(u * (2 ** bits - 1)));
        fields.forEach(([bits], i) => writer.write(expected[i], bits));
        const total = fields.reduce((s, [b]) => s + b, 0);
        assert.equal(writer.bitLength, total);
        const bytes = writer.finish();
        assert.equal(bytes.length, Math.ceil(total / 8));
        const reader = new BitReader(bytes, "test");
        fields.forEach(([bits], i) => assert.equal(reader.read(bits), expected[i]));
      },
    ),
    { seed: 42, numRuns: 300 },
  );
});

Deno.test("BitReader throws BitstreamError when the stream is truncated", () => {
  const reader = new BitReader(new Uint8Array([1]), "csr");
  reader.read(6);
  assert.throws(() => reader.read(3), BitstreamError);
});

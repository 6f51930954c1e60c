import assert from "node:assert/strict";
import fc from "fast-check";
import { BitReader, BitstreamError, BitWriter, blockGrains } from "@sparsegrain/core";
import {
  bitLength,
  BitSink,
  HEADER_BYTES,
  magicOf,
  readHeader,
  streamChecksum,
  writeHeader,
} from "./_stream.ts";

Deno.test("BitSink packs fields exactly like core's BitWriter (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 32 }), fc.nat()), { maxLength: 60 }),
      (fields) => {
        const writer = new BitWriter();
        let bits = 0;
        const clean = fields.map(([width, raw]) => {
          const value = width === 0 ? 0 : width === 32 ? raw >>> 0 : raw % 2 ** width;
          bits += width;
          return [width, value] as const;
        });
        for (const [width, value] of clean) writer.write(value, width);
        const expected = writer.finish();
        const sink = new BitSink(Math.ceil(bits / 8), 0);
        for (const [width, value] of clean) sink.putWide(value, width);
        assert.deepEqual(sink.finish(), expected);
        const reader = new BitReader(expected, "t");
        for (const [width, value] of clean) assert.equal(reader.read(width), value);
      },
    ),
    { seed: 42, numRuns: 400 },
  );
});

Deno.test("bitLength() counts the bits of an unsigned integer", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 255, 256, 2 ** 31, 2 ** 32 - 1].map(bitLength), [
    0,
    1,
    2,
    2,
    3,
    8,
    9,
    32,
    32,
  ]);
});

Deno.test("readHeader() names what is wrong with a stream", () => {
  const grains = blockGrains([2, 3], [1, 1]);
  const bytes = new Uint8Array(HEADER_BYTES + 2);
  const header = {
    magic: magicOf("SGXX"),
    valueBits: 8,
    indexBits: 4,
    auxBits: 0,
    elements: 6,
    grains: 6,
    maxGrainSize: 1,
    scaleBits: 0x3f800000,
    keptGrains: 1,
    count2: 0,
  };
  writeHeader(bytes, header);
  assert.equal(readHeader(bytes, "x", "SGXX", grains).keptGrains, 1);
  const fails = (b: Uint8Array, pattern: RegExp, g = grains) =>
    assert.throws(
      () => readHeader(b, "x", "SGXX", g),
      (e: unknown) => e instanceof BitstreamError && e.encoder === "x" && pattern.test(e.message),
    );
  fails(bytes.subarray(0, 39), /39 bytes, fewer than the 40-byte header/);
  fails(bytes.subarray(0, 41), /header says 42 bytes but the stream has 41 \(truncated\)/);
  const longer = new Uint8Array(43);
  longer.set(bytes);
  fails(longer, /trailing bytes/);
  const flipped = bytes.slice();
  flipped[41] ^= 4;
  fails(flipped, /checksum mismatch/);
  fails(bytes, /element count 6 but the grains passed in have 8/, blockGrains([2, 4], [1, 1]));
  fails(bytes, /grain count 6 but the grains passed in have 3/, blockGrains([2, 3], [2, 1]));
  assert.throws(
    () => readHeader(bytes, "x", "SGYY", grains),
    /bad magic 0x53475858, expected "SGYY"/,
  );
  const rewrite = (edit: Partial<typeof header>) => {
    const b = new Uint8Array(HEADER_BYTES + 2);
    writeHeader(b, { ...header, ...edit });
    return b;
  };
  fails(rewrite({ valueBits: 1 }), /value bits 1/);
  fails(rewrite({ keptGrains: 7 }), /7 kept grains exceed the 6 grains/);
  fails(rewrite({ maxGrainSize: 2 }), /largest grain size 2/);
});

Deno.test("streamChecksum() is Adler-32 over the stream without its checksum field", () => {
  const bytes = new Uint8Array(HEADER_BYTES + 9);
  bytes.set(new TextEncoder().encode("Wikipedia"), HEADER_BYTES);
  const zeroHeader = streamChecksum(bytes);
  // Adler-32("Wikipedia") is 0x11e60398; 36 leading zero bytes add 36 * a0 = 36 to b
  assert.equal(zeroHeader, (((0x11e6 + 36) % 65521) * 65536 + 0x0398) >>> 0);
  bytes[37] = 99; // inside the checksum field: ignored
  assert.equal(streamChecksum(bytes), zeroHeader);
});

Deno.test("streamChecksum() equals a byte-by-byte Adler-32 on long streams (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 20000 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer(),
      (length, fill, seed) => {
        const bytes = new Uint8Array(HEADER_BYTES + length).fill(fill);
        for (let i = 0; i < bytes.length; i += 1 + ((seed >>> 0) % 7)) bytes[i] = (i * seed) & 255;
        let a = 1;
        let b = 0;
        for (let i = 0; i < bytes.length; i++) {
          if (i >= 36 && i < HEADER_BYTES) continue;
          a = (a + bytes[i]) % 65521;
          b = (b + a) % 65521;
        }
        assert.equal(streamChecksum(bytes), (b * 65536 + a) >>> 0);
      },
    ),
    { seed: 17, numRuns: 60 },
  );
});

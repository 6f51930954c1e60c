import assert from "node:assert/strict";
import fc from "fast-check";
import { quantizeLinear } from "@sparsegrain/core";
import { quantMagnitude, rawBits, ValueCoder, ValueDecoder } from "./_values.ts";
import { sameBits } from "./_test_streams.ts";

const reference = (v: number, scale: number, levels: number) =>
  Math.max(-levels, Math.min(levels, Math.round(v / scale)));

Deno.test("quantMagnitude() equals |Math.round| on exact halves, near-halves and clamps", () => {
  const levels = 127;
  const cases = [
    0,
    0.49999999999999994,
    0.5,
    1.5,
    2.5,
    126.5,
    127.49,
    200,
    0.5000000000000001,
    1e-300,
  ];
  for (const x of cases) {
    for (const v of [x, -x]) {
      const expected = Math.abs(reference(v, 1, levels));
      assert.equal(quantMagnitude(Math.abs(v), v < 0, 1, levels), expected, `v = ${v}`);
    }
  }
});

Deno.test("quantMagnitude() matches Math.round on random weights and scales (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.float({ noNaN: true, noDefaultInfinity: true }),
      fc.float({ min: Math.fround(1e-30), max: Math.fround(1e10), noNaN: true }),
      fc.constantFrom(1, 7, 127, 32767),
      (v, scale, levels) =>
        quantMagnitude(Math.abs(v), v < 0, scale, levels) === Math.abs(reference(v, scale, levels)),
    ),
    { seed: 20250101, numRuns: 3000 },
  );
});

Deno.test("ValueCoder words decode to quantizeLinear's values bit for bit, -0 included", () => {
  const values = new Float32Array([
    1,
    -1,
    0.3,
    -0.003,
    -0,
    0,
    0.5 / 127,
    -0.5 / 127,
    1e-8,
    -2.5 / 127,
  ]);
  const mask = new Uint8Array(values.length).fill(1);
  for (const bits of [2, 4, 8, 12, 16, 32]) {
    const coder = ValueCoder.fit(values, mask, bits);
    const raw = rawBits(values);
    const decoder = new ValueDecoder(
      "test",
      bits,
      new Uint32Array(new Float32Array([coder.scale]).buffer)[0],
    );
    const decoded = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      decoded[i] = decoder.value(coder.word(values[i], raw[i]));
    }
    const q = quantizeLinear(values, mask, bits);
    assert.ok(sameBits(decoded, q.values), `${bits} bits: ${decoded} vs ${q.values}`);
    assert.deepEqual(coder.report().maxAbsError, q.report.maxAbsError);
    assert.ok(Math.abs(coder.report().rmsError - q.report.rmsError) < 1e-15);
    assert.equal(coder.report().scale, q.report.scale);
  }
});

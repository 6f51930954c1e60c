import assert from "node:assert/strict";
import { quantizeLinear } from "./quantize.ts";

Deno.test("quantizeLinear() maps the largest kept weight to the top level and zeroes pruned ones", () => {
  const values = new Float32Array([0.6, -1, 0.25, 9]);
  const q = quantizeLinear(values, new Uint8Array([1, 1, 1, 0]), 4); // levels -7..7
  assert.deepEqual([...q.codes], [4, -7, 2, 0]); // 0.6*7 = 4.2 -> 4, 0.25*7 = 1.75 -> 2
  assert.equal(q.values[3], 0);
  assert.equal(q.report.scale, Math.fround(1 / 7));
  assert.ok(Math.abs(q.report.maxAbsError - (2 / 7 - 0.25)) < 1e-6);
});

Deno.test("quantizeLinear() keeps floats at 32 bits and rejects unsupported widths", () => {
  const q = quantizeLinear(new Float32Array([0.1, 0.2]), new Uint8Array([1, 0]), 32);
  assert.deepEqual([...q.values], [Math.fround(0.1), 0]);
  assert.throws(() => quantizeLinear(new Float32Array(1), new Uint8Array(1), 1), RangeError);
  assert.throws(() => quantizeLinear(new Float32Array(1), new Uint8Array(1), 24), RangeError);
});

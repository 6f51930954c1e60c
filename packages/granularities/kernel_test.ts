import assert from "node:assert/strict";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { kernelGranularity } from "./kernel.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("kernelGranularity() groups the kh x kw kernel of every (input, output) pair", () => {
  const grains = kernelGranularity().partition(shapeOnly("c", "conv2d", [3, 3, 2, 4]))!;
  assert.equal(grains.count, 8);
  assert.equal(grains.maxSize, 9);
  const out = new Int32Array(9);
  grains.elementsOf(6, out); // (i=1, o=2): elements ((h*3 + w)*2 + 1)*4 + 2
  assert.deepEqual([...out], [0, 1, 2, 3, 4, 5, 6, 7, 8].map((hw) => (hw * 2 + 1) * 4 + 2));
});

Deno.test("kernelGranularity() conforms to the core kit", () => {
  assertGranularityConforms(kernelGranularity());
  assertGranularityConforms(kernelGranularity({ dense: "skip", pointwise: "skip" }));
});

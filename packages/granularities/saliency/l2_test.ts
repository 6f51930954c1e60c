import assert from "node:assert/strict";
import { blockGrains } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { vectorGranularity } from "../vector.ts";
import { l2Saliency } from "./l2.ts";

Deno.test("l2Saliency() is the Euclidean norm of each grain", () => {
  const values = new Float32Array([3, -4, 0, 0, 5, 12]);
  const layer = { name: "fc", kind: "dense" as const, shape: [3, 2], values };
  assert.deepEqual([...l2Saliency().score(layer, blockGrains([3, 2], [1, 2]))], [5, 0, 13]);
  // element grains: |w|
  assert.deepEqual([...l2Saliency().score(layer, blockGrains([3, 2], [1, 1]))], [
    3,
    4,
    0,
    0,
    5,
    12,
  ]);
});

Deno.test("l2Saliency() stays finite when squares overflow float32", () => {
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [1, 2],
    values: new Float32Array([1e30, -1e30]),
  };
  const scores = l2Saliency().score(layer, blockGrains([1, 2], [1, 1]));
  assert.ok(scores.every((s) => Number.isFinite(s) && s > 0));
});

Deno.test("l2Saliency() conforms to the core kit", () => {
  assertSaliencyConforms(l2Saliency());
  assertSaliencyConforms(l2Saliency(), { granularity: vectorGranularity() });
});

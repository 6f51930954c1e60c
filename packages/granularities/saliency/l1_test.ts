import assert from "node:assert/strict";
import { blockGrains, LayerError } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { kernelGranularity } from "../kernel.ts";
import { l1Saliency } from "./l1.ts";

Deno.test("l1Saliency() sums |w| per grain", () => {
  const values = new Float32Array([1, -2, 3, -4, 5, -6]);
  const layer = { name: "fc", kind: "dense" as const, shape: [3, 2], values };
  assert.deepEqual([...l1Saliency().score(layer, blockGrains([3, 2], [3, 1]))], [9, 12]);
  assert.deepEqual([...l1Saliency().score(layer, blockGrains([3, 2], [1, 2]))], [3, 7, 11]);
});

Deno.test("l1Saliency() saturates overflowing sums at the largest float32 and checks sizes", () => {
  const values = new Float32Array([3e38, 3e38, 1, 1]);
  const layer = { name: "fc", kind: "dense" as const, shape: [2, 2], values };
  const scores = l1Saliency().score(layer, blockGrains([2, 2], [1, 2]));
  assert.ok(Number.isFinite(scores[0]) && scores[0] > 3e38);
  assert.equal(scores[1], 2);
  assert.throws(
    () => l1Saliency().score(layer, blockGrains([3, 2], [1, 1])),
    (e: unknown) => e instanceof LayerError && e.layer === "fc" && e.field === "values",
  );
});

Deno.test("l1Saliency() conforms to the core kit", () => {
  assertSaliencyConforms(l1Saliency());
  assertSaliencyConforms(l1Saliency(), { granularity: kernelGranularity() });
});

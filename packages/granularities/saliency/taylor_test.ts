import assert from "node:assert/strict";
import { blockGrains, LayerError } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { kernelGranularity } from "../kernel.ts";
import { taylorSaliency } from "./taylor.ts";

const layer = {
  name: "conv9",
  kind: "dense" as const,
  shape: [2, 2],
  values: new Float32Array([1, -2, 3, -4]),
};

Deno.test("taylorSaliency() sums |w * g| per grain", () => {
  const gradients = new Float32Array([0.5, 0.25, -1, 0]);
  const scores = taylorSaliency().score(layer, blockGrains([2, 2], [2, 1]), { gradients });
  assert.deepEqual([...scores], [0.5 + 3, 0.5 + 0]);
});

Deno.test("taylorSaliency() names the layer when gradients are missing, short or not finite", () => {
  const grains = blockGrains([2, 2], [1, 1]);
  const named = (detail: RegExp) => (e: unknown) =>
    e instanceof LayerError && e.layer === "conv9" && e.field === "gradients" &&
    detail.test(e.message);
  assert.throws(() => taylorSaliency().score(layer, grains), named(/needs the loss gradient/));
  assert.throws(() => taylorSaliency().score(layer, grains, {}), named(/context.gradients/));
  assert.throws(
    () => taylorSaliency().score(layer, grains, { gradients: new Float32Array(3) }),
    named(/expected a Float32Array of 4 gradients, found 3/),
  );
  assert.throws(
    () =>
      taylorSaliency().score(layer, grains, { gradients: new Float32Array([0, NaN, 1, Infinity]) }),
    named(/2 gradients are NaN or infinite/),
  );
});

Deno.test("taylorSaliency() conforms to the core kit", () => {
  assertSaliencyConforms(taylorSaliency());
  assertSaliencyConforms(taylorSaliency(), { granularity: kernelGranularity() });
});

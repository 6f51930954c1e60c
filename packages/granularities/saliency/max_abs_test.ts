import assert from "node:assert/strict";
import { blockGrains } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { filterGranularity } from "../filter.ts";
import { maxAbsSaliency } from "./max_abs.ts";

Deno.test("maxAbsSaliency() keeps the largest magnitude of each grain", () => {
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [2, 3],
    values: new Float32Array([1, -8, 0, -2, 3, 0]),
  };
  assert.deepEqual([...maxAbsSaliency().score(layer, blockGrains([2, 3], [2, 1]))], [2, 8, 0]);
});

Deno.test("maxAbsSaliency() conforms to the core kit", () => {
  assertSaliencyConforms(maxAbsSaliency());
  assertSaliencyConforms(maxAbsSaliency(), { granularity: filterGranularity() });
});

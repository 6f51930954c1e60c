import assert from "node:assert/strict";
import { blockGrains } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { blockGranularity } from "../block.ts";
import { l1Saliency } from "./l1.ts";
import { meanAbsSaliency } from "./mean_abs.ts";

Deno.test("meanAbsSaliency() divides the L1 norm by each grain's own size", () => {
  // [1, 5] in blocks of 2: sizes 2, 2, 1
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [1, 5],
    values: new Float32Array([1, -3, 2, 2, -7]),
  };
  assert.deepEqual([...meanAbsSaliency().score(layer, blockGrains([1, 5], [1, 2]))], [2, 2, 7]);
  // even grains: the same ranking as l1
  const even = blockGrains([1, 4], [1, 2]);
  const four = { ...layer, shape: [1, 4], values: layer.values.slice(0, 4) };
  const mean = meanAbsSaliency().score(four, even);
  const l1 = l1Saliency().score(four, even);
  assert.deepEqual([...mean].map((m) => m * 2), [...l1]);
});

Deno.test("meanAbsSaliency() conforms to the core kit, also on uneven blocks", () => {
  assertSaliencyConforms(meanAbsSaliency());
  assertSaliencyConforms(meanAbsSaliency(), {
    granularity: blockGranularity({ block: [2, 2, 3, 4] }),
  });
});

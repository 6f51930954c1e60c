import { reduceGrains } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { checkScoreInputs, saturate } from "./_scores.ts";

/**
 * The L1 saliency, registered as `"l1"`: a grain scores the sum of its `|w|` (PAPER.md's
 * method). Inside one layer it ranks exactly like `mean-abs` when grains have equal sizes.
 *
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { l1Saliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 2], values: new Float32Array([1, -2, 3, -4]) };
 * const scores = l1Saliency().score(layer, blockGrains([2, 2], [2, 1]));
 * assert(scores[0] === 4 && scores[1] === 6);
 * ```
 */
export function l1Saliency(): SaliencyMetric {
  return {
    name: "l1",
    version: "1.0.0",
    options: {},
    describe: () => "L1: sum of |w| over the grain",
    score(layer: LayerWeights, grains: Grains): Float32Array {
      checkScoreInputs(layer, grains);
      return saturate(reduceGrains(layer.values, grains, "sum-abs"));
    },
  };
}

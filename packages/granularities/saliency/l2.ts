import { reduceGrains } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { checkScoreInputs, saturate } from "./_scores.ts";

/**
 * The L2 saliency, registered as `"l2"`: a grain scores the Euclidean norm of its weights,
 * `sqrt(sum w²)`.
 *
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { l2Saliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 2], values: new Float32Array([3, 0, 4, 1]) };
 * const scores = l2Saliency().score(layer, blockGrains([2, 2], [2, 1]));
 * assert(scores[0] === 5 && scores[1] === 1);
 * ```
 */
export function l2Saliency(): SaliencyMetric {
  return {
    name: "l2",
    version: "1.0.0",
    options: {},
    describe: () => "L2: Euclidean norm of the grain's weights",
    score(layer: LayerWeights, grains: Grains): Float32Array {
      checkScoreInputs(layer, grains);
      const scores = reduceGrains(layer.values, grains, "sum-squares");
      for (let g = 0; g < scores.length; g++) scores[g] = Math.sqrt(scores[g]);
      return saturate(scores);
    },
  };
}

import { grainSizes, reduceGrains } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { checkScoreInputs, evenGrains, saturate } from "./_scores.ts";

/**
 * The mean-|w| saliency, registered as `"mean-abs"`: a grain scores its L1 norm divided by its
 * size, the size-normalised score PAPER.md uses to rank grains across layers.
 *
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { meanAbsSaliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [1, 3], values: new Float32Array([1, -3, 4]) };
 * const scores = meanAbsSaliency().score(layer, blockGrains([1, 3], [1, 2])); // sizes 2 and 1
 * assert(scores[0] === 2 && scores[1] === 4);
 * ```
 */
export function meanAbsSaliency(): SaliencyMetric {
  return {
    name: "mean-abs",
    version: "1.0.0",
    options: {},
    describe: () => "Mean |w|: L1 norm of the grain divided by its size",
    score(layer: LayerWeights, grains: Grains): Float32Array {
      checkScoreInputs(layer, grains);
      const scores = reduceGrains(layer.values, grains, "sum-abs");
      if (evenGrains(grains)) {
        const size = grains.maxSize;
        if (size !== 1) { for (let g = 0; g < scores.length; g++) scores[g] /= size; }
      } else {
        const sizes = grainSizes(grains);
        for (let g = 0; g < scores.length; g++) scores[g] = sizes[g] > 0 ? scores[g] / sizes[g] : 0;
      }
      return saturate(scores);
    },
  };
}

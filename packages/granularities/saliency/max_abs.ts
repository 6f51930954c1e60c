import { reduceGrains } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { checkScoreInputs } from "./_scores.ts";

/**
 * The max-|w| saliency, registered as `"max-abs"`: a grain scores its largest `|w|` (a grain is
 * kept when any of its weights is large).
 *
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { maxAbsSaliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 2], values: new Float32Array([1, -2, -3, 0.5]) };
 * const scores = maxAbsSaliency().score(layer, blockGrains([2, 2], [2, 1]));
 * assert(scores[0] === 3 && scores[1] === 2);
 * ```
 */
export function maxAbsSaliency(): SaliencyMetric {
  return {
    name: "max-abs",
    version: "1.0.0",
    options: {},
    describe: () => "Max |w|: the largest magnitude in the grain",
    score(layer: LayerWeights, grains: Grains): Float32Array {
      checkScoreInputs(layer, grains);
      return reduceGrains(layer.values, grains, "max-abs");
    },
  };
}

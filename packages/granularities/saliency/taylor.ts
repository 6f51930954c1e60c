import { LayerError, reduceGrains } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyContext, SaliencyMetric } from "@sparsegrain/core";
import { checkScoreInputs, saturate } from "./_scores.ts";

/**
 * The first-order Taylor saliency, registered as `"taylor"`: a grain scores the sum of
 * `|w * g|` over its weights, where `g` is the loss gradient (`context.gradients`, same layout
 * as the weights). Without gradients, or with gradients of the wrong length or not finite, it
 * throws a `LayerError` naming the layer.
 *
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { taylorSaliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [1, 2], values: new Float32Array([2, -3]) };
 * const gradients = new Float32Array([0.5, 1]);
 * const scores = taylorSaliency().score(layer, blockGrains([1, 2], [1, 1]), { gradients });
 * assert(scores[0] === 1 && scores[1] === 3);
 * ```
 */
export function taylorSaliency(): SaliencyMetric {
  return {
    name: "taylor",
    version: "1.0.0",
    options: {},
    describe: () => "Taylor: sum of |w * dLoss/dw| over the grain (needs gradients)",
    score(layer: LayerWeights, grains: Grains, context?: SaliencyContext): Float32Array {
      checkScoreInputs(layer, grains);
      const gradients = context?.gradients;
      const values = layer.values;
      if (gradients === undefined) {
        throw new LayerError(
          layer.name,
          "gradients",
          "the taylor saliency needs the loss gradient of every weight: pass context.gradients (from a training batch) or use the l1 saliency",
        );
      }
      if (!(gradients instanceof Float32Array) || gradients.length !== values.length) {
        throw new LayerError(
          layer.name,
          "gradients",
          `expected a Float32Array of ${values.length} gradients, found ${
            gradients instanceof Float32Array ? gradients.length : typeof gradients
          }: pass gradients in the layout of the weights`,
        );
      }
      const products = new Float32Array(values.length);
      let bad = 0;
      for (let e = 0; e < values.length; e++) {
        const g = gradients[e];
        if (g - g !== 0) bad++;
        products[e] = values[e] * g;
      }
      if (bad > 0) {
        throw new LayerError(
          layer.name,
          "gradients",
          `${bad} gradients are NaN or infinite: check the training step that produced them`,
        );
      }
      return saturate(reduceGrains(products, grains, "sum-abs"));
    },
  };
}

import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link elementGranularity}: only the layer-kind policies. */
export type ElementGranularityOptions = LayerPolicyOptions;

/**
 * The 0-D (fine-grained) granularity, registered as `"0d"`: every weight is its own grain.
 * Dense layers default to `dense: "element"`.
 *
 * @param options layer-kind policies (`dense`, `pointwise`, `depthwise`)
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { elementGranularity } from "@sparsegrain/granularities";
 * const grains = elementGranularity().partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 2, 4], values: new Float32Array(72),
 * });
 * assert(grains?.count === 72 && grains.maxSize === 1);
 * ```
 */
export function elementGranularity(options?: ElementGranularityOptions): Granularity {
  const policies = resolvePolicies("0d", options, "element");
  return {
    name: "0d",
    version: "1.0.0",
    options: { ...policies },
    describe: () => `0-D: every weight is its own grain; ${describePolicies(policies)}`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, () => ({ block: [1, 1, 1, 1] })),
  };
}

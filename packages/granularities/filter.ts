import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link filterGranularity}: only the layer-kind policies. */
export type FilterGranularityOptions = LayerPolicyOptions;

/**
 * The 3-D (filter) granularity, registered as `"3d"`: one filter `W[:, :, :, o]` (block
 * `[kh, kw, cin, 1]`, an output channel) per grain. Dense layers default to `dense: "neuron"`
 * (an output neuron `[in, 1]`); `pointwise: "skip"` leaves 1x1 convs dense; a depthwise
 * filter is a single `[kh, kw]` kernel per output channel, so there grains are whole kernels.
 *
 * @param options layer-kind policies (`dense`, `pointwise`, `depthwise`)
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filterGranularity } from "@sparsegrain/granularities";
 * const grains = filterGranularity().partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 2, 4], values: new Float32Array(72),
 * });
 * assert(grains?.count === 4 && grains.maxSize === 18);
 * ```
 */
export function filterGranularity(options?: FilterGranularityOptions): Granularity {
  const policies = resolvePolicies("3d", options, "neuron");
  return {
    name: "3d",
    version: "1.0.0",
    options: { ...policies },
    describe: () => `3-D: one filter (output channel) per grain; ${describePolicies(policies)}`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, ([kh, kw, cin], kind) => ({
        block: kind === "depthwise" ? [kh, kw, 1, 1] : [kh, kw, cin, 1],
      })),
  };
}

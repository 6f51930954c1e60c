import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link channelGranularity}: only the layer-kind policies. */
export type ChannelGranularityOptions = LayerPolicyOptions;

/**
 * The input-channel granularity, registered as `"channel"`: one input channel across all
 * filters `W[:, :, i, :]` (block `[kh, kw, 1, cout]`) per grain. Dense layers default to
 * `dense: "conv"`, an input neuron `[1, out]`; in a depthwise layer the grain is the input
 * channel's `multiplier` kernels.
 *
 * @param options layer-kind policies (`dense`, `pointwise`, `depthwise`)
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { channelGranularity } from "@sparsegrain/granularities";
 * const grains = channelGranularity().partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 2, 4], values: new Float32Array(72),
 * });
 * assert(grains?.count === 2 && grains.maxSize === 36);
 * ```
 */
export function channelGranularity(options?: ChannelGranularityOptions): Granularity {
  const policies = resolvePolicies("channel", options, "conv");
  return {
    name: "channel",
    version: "1.0.0",
    options: { ...policies },
    describe: () =>
      `Channel: one input channel across all filters per grain; ${describePolicies(policies)}`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, ([kh, kw, , cout]) => ({ block: [kh, kw, 1, cout] })),
  };
}

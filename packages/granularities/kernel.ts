import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link kernelGranularity}: only the layer-kind policies. */
export type KernelGranularityOptions = LayerPolicyOptions;

/**
 * The 2-D (kernel) granularity, registered as `"2d"`: one 2-D kernel `W[:, :, i, o]` (block
 * `[kh, kw, 1, 1]`) per grain. On 1x1 convs it equals 0-D; dense layers default to
 * `dense: "element"`; in a depthwise layer every kernel is the whole filter of one output.
 *
 * @param options layer-kind policies (`dense`, `pointwise`, `depthwise`)
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kernelGranularity } from "@sparsegrain/granularities";
 * const grains = kernelGranularity().partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 2, 4], values: new Float32Array(72),
 * });
 * assert(grains?.count === 8 && grains.maxSize === 9);
 * ```
 */
export function kernelGranularity(options?: KernelGranularityOptions): Granularity {
  const policies = resolvePolicies("2d", options, "element");
  return {
    name: "2d",
    version: "1.0.0",
    options: { ...policies },
    describe: () => `2-D: one kh x kw kernel per grain; ${describePolicies(policies)}`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, ([kh, kw]) => ({ block: [kh, kw, 1, 1] })),
  };
}

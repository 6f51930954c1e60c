import { ConfigError } from "@sparsegrain/core";
import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link blockGranularity}. */
export interface BlockGranularityOptions extends LayerPolicyOptions {
  /**
   * Block extents: rank 4 in conv layout `[bh, bw, bcin, bcout]`, or rank 2 `[bin, bout]`
   * (meaning `[1, 1, bin, bout]` on a conv). Extents larger than an axis are clipped to it;
   * blocks at the far edge of an axis that the extent does not divide are smaller.
   *
   * @default {[1, 1, 4, 4]} (4 input x 4 output channels at one kernel position)
   */
  readonly block?: readonly number[];
}

/**
 * The block granularity, registered as `"block"`: any regular block shape, tiled row-major
 * over the tensor. Dense layers default to `dense: "conv"`, which uses the block's last two
 * extents `[bcin, bcout]`.
 *
 * @param options `block` and the layer-kind policies
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGranularity } from "@sparsegrain/granularities";
 * const grains = blockGranularity({ block: [1, 1, 4, 4] }).partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 6, 8], values: new Float32Array(432),
 * });
 * assert(grains?.count === 36 && grains.maxSize === 16); // 3*3*2*2 blocks
 * ```
 */
export function blockGranularity(options?: BlockGranularityOptions): Granularity {
  const policies = resolvePolicies("block", options, "conv", ["block"]);
  const given = options?.block ?? [1, 1, 4, 4];
  if (
    !Array.isArray(given) || (given.length !== 4 && given.length !== 2) ||
    !given.every((b) => Number.isInteger(b) && b >= 1)
  ) {
    throw new ConfigError(
      "block.block",
      `found ${
        JSON.stringify(given)
      }: give 4 positive integers [bh, bw, bcin, bcout] or 2 [bin, bout]`,
    );
  }
  const block4 = given.length === 4
    ? [given[0], given[1], given[2], given[3]]
    : [1, 1, given[0], given[1]];
  return {
    name: "block",
    version: "1.0.0",
    options: { block: [...given], ...policies },
    describe: () => `Block: blocks of [${block4}] (conv layout); ${describePolicies(policies)}`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, (dims) => ({
        block: [
          Math.min(block4[0], dims[0]),
          Math.min(block4[1], dims[1]),
          Math.min(block4[2], dims[2]),
          Math.min(block4[3], dims[3]),
        ],
      })),
  };
}

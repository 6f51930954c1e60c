/**
 * The plugin written step by step in docs/plugins.md: filter slices, `slice` consecutive input
 * channels of one filter (`[kh, kw, slice, 1]` blocks), between 2-D kernels and 3-D filters.
 *
 * @module
 */
import { blockGrains, ConfigError } from "@sparsegrain/core";
import type { Granularity, LayerWeights } from "@sparsegrain/core";

/**
 * Builds the filter-slice granularity: grains of `slice` input channels of one filter. Dense
 * layers are cut the same way, as 1x1 convs (`[slice, 1]` blocks of a column).
 *
 * @param slice input channels per grain (the last slice of a layer may be shorter)
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filterSliceGranularity } from "./filter_slice_granularity.ts";
 * const grains = filterSliceGranularity(4).partition({
 *   name: "conv2", kind: "conv2d", shape: [3, 3, 8, 16], values: new Float32Array(1152),
 * });
 * assert(grains?.count === 32 && grains.maxSize === 36);
 * ```
 */
export function filterSliceGranularity(slice: number): Granularity {
  if (!Number.isInteger(slice) || slice < 1) {
    throw new ConfigError("slice", `found ${slice}: use a whole number of input channels >= 1`);
  }
  return {
    name: `slice${slice}`,
    version: "1.0.0",
    options: { slice },
    describe: () => `Filter slices: ${slice} input channels of one filter per grain`,
    partition(layer: LayerWeights) {
      if (layer.kind === "depthwise") return undefined; // one input channel per filter: skip
      const shape = layer.shape;
      const cin = shape[shape.length - 2];
      const block = shape.map((d) => d); // every axis whole ...
      block[shape.length - 2] = Math.min(slice, cin); // ... but `slice` input channels
      block[shape.length - 1] = 1; // ... of one output channel
      return blockGrains(shape, block);
    },
  };
}

/** The instance a sweep registers, as `"slice4"`. */
export const slice4: Granularity = filterSliceGranularity(4);

import { blockGrains } from "./block_grains.ts";
import { countKeptPerGrain } from "./grain_ops.ts";
import { LayerError } from "./errors.ts";
import type { LayerWeights, Mask } from "./types.ts";

/** Zero weights of a mask, each counted once by the coarsest whole unit it belongs to. */
export interface ZeroBreakdown {
  /** Zeros inside whole pruned filters (output channels; output neurons of a dense layer). */
  readonly filter: number;
  /** Zeros inside whole pruned kernels (`[kh, kw]` slices) not already counted as filters. */
  readonly kernel: number;
  /** Zeros inside whole pruned kernel rows (`[kw]`) not already counted above. */
  readonly row: number;
  /** The remaining zeros. */
  readonly isolated: number;
}

/** Statistics of one layer's mask. */
export interface MaskStats {
  /** Layer name. */
  readonly layer: string;
  /** Weights in the layer. */
  readonly elements: number;
  /** Kept weights. */
  readonly kept: number;
  /** Kept / elements. */
  readonly density: number;
  /** Zeros by the coarsest unit they form. */
  readonly zeros: ZeroBreakdown;
}

/**
 * Measures a mask: density, and how its zeros are structured (whole filters, whole kernels,
 * whole kernel rows, isolated weights). A unit only counts when it is coarser than the next
 * finer one: in a 1x1 conv or a dense layer there are no kernel or row units (a kernel is one
 * weight), and with `kh = 1` a row is the whole kernel. In a depthwise layer a filter is one
 * kernel.
 *
 * @param layer the layer (its shape and kind are used)
 * @param mask keep mask over elements
 * @returns the statistics
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskStats } from "@sparsegrain/core";
 * const layer = { name: "c", kind: "conv2d" as const, shape: [1, 2, 1, 2], values: new Float32Array(4) };
 * const stats = maskStats(layer, new Uint8Array([0, 1, 0, 0])); // filter 0 pruned, one zero in filter 1
 * assert(stats.zeros.filter === 2 && stats.zeros.isolated === 1);
 * ```
 */
export function maskStats(layer: LayerWeights, mask: Mask): MaskStats {
  const { shape } = layer;
  const elements = shape.reduce((a, b) => a * b, 1);
  if (mask.length !== elements) {
    throw new LayerError(
      layer.name,
      "mask",
      `it has ${mask.length} entries for ${elements} weights: pass a mask over the layer's elements`,
    );
  }
  let kept = 0;
  for (let e = 0; e < mask.length; e++) if (mask[e] !== 0) kept++;
  const zeros = elements - kept;
  const zerosIn = (block: number[]) => {
    const grains = blockGrains(shape, block);
    const counts = countKeptPerGrain(mask, grains); // blocks divide the shape: all full size
    let z = 0;
    for (let g = 0; g < counts.length; g++) if (counts[g] === 0) z += grains.maxSize;
    return z;
  };
  let filter: number, kernel: number, row: number;
  if (layer.kind === "dense") {
    filter = kernel = row = zerosIn([shape[0], 1]);
  } else {
    const [kh, kw, cin] = shape;
    filter = zerosIn(layer.kind === "depthwise" ? [kh, kw, 1, 1] : [kh, kw, cin, 1]);
    kernel = layer.kind === "conv2d" && kh * kw > 1 ? zerosIn([kh, kw, 1, 1]) : filter;
    row = kh > 1 && kw > 1 ? zerosIn([1, kw, 1, 1]) : kernel;
  }
  return {
    layer: layer.name,
    elements,
    kept,
    density: kept / elements,
    zeros: { filter, kernel: kernel - filter, row: row - kernel, isolated: zeros - row },
  };
}

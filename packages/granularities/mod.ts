/**
 * The built-in plugins of sparsegrain: how a weight tensor is cut into grains (0-D elements,
 * 1-D kernel rows or columns, 2-D kernels, 3-D filters, input channels, N:M groups, any block),
 * how grains are scored (L1, L2, mean |w|, max |w|, Taylor |w * g|, random), and how a pruned
 * tensor is stored as a real bitstream (dense, relative index, bitmask, CSR). Everything works on
 * typed arrays in tfjs layouts (conv `[kh, kw, cin, cout]`, dense `[in, out]`, depthwise
 * `[kh, kw, cin, multiplier]`) and plugs into `@sparsegrain/core`'s registries and pruning
 * engine.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandGrainMask } from "@sparsegrain/core";
 * import { kernelGranularity, l1Saliency, relativeIndexEncoder } from "@sparsegrain/granularities";
 *
 * const layer = {
 *   name: "conv", kind: "conv2d" as const, shape: [3, 3, 2, 2],
 *   values: new Float32Array(36).map((_, i) => Math.sin(i)),
 * };
 * const grains = kernelGranularity().partition(layer)!; // 4 kernels of 3x3
 * const scores = l1Saliency().score(layer, grains);
 * const best = scores.indexOf(Math.max(...scores));
 * const grainMask = new Uint8Array(grains.count);
 * grainMask[best] = 1; // keep the strongest kernel
 * const mask = expandGrainMask(grainMask, grains);
 * const encoded = relativeIndexEncoder().encode(layer, mask, grains);
 * assert(encoded.bits.value + encoded.bits.index === 9 * 8 + 4); // one kernel, one index
 * const decoded = relativeIndexEncoder().decode(encoded.bytes, grains);
 * assert(decoded.filter((v) => v !== 0).length <= 9);
 * ```
 *
 * @module
 */
export { elementGranularity } from "./element.ts";
export type { ElementGranularityOptions } from "./element.ts";
export { vectorGranularity } from "./vector.ts";
export type { VectorGranularityOptions } from "./vector.ts";
export { kernelGranularity } from "./kernel.ts";
export type { KernelGranularityOptions } from "./kernel.ts";
export { filterGranularity } from "./filter.ts";
export type { FilterGranularityOptions } from "./filter.ts";
export { channelGranularity } from "./channel.ts";
export type { ChannelGranularityOptions } from "./channel.ts";
export { nmGranularity } from "./nm.ts";
export type { NmGranularityOptions } from "./nm.ts";
export { blockGranularity } from "./block.ts";
export type { BlockGranularityOptions } from "./block.ts";
export type {
  DensePolicy,
  DepthwisePolicy,
  LayerPolicyOptions,
  PointwisePolicy,
} from "./policy.ts";
export { l1Saliency } from "./saliency/l1.ts";
export { l2Saliency } from "./saliency/l2.ts";
export { meanAbsSaliency } from "./saliency/mean_abs.ts";
export { maxAbsSaliency } from "./saliency/max_abs.ts";
export { taylorSaliency } from "./saliency/taylor.ts";
export { randomSaliency } from "./saliency/random.ts";
export type { RandomSaliencyOptions } from "./saliency/random.ts";
export { denseEncoder } from "./encoders/dense.ts";
export type { DenseEncoderOptions } from "./encoders/dense.ts";
export { relativeIndexEncoder } from "./encoders/relative_index.ts";
export type { RelativeIndexEncoderOptions } from "./encoders/relative_index.ts";
export { bitmaskEncoder } from "./encoders/bitmask.ts";
export type { BitmaskEncoderOptions } from "./encoders/bitmask.ts";
export { csrEncoder } from "./encoders/csr.ts";
export type { CsrEncoderOptions } from "./encoders/csr.ts";
export { createGranularity, GRANULARITY_NAMES } from "./create_granularity.ts";
export { createSaliency, SALIENCY_NAMES } from "./create_saliency.ts";
export { createEncoder, ENCODER_NAMES } from "./create_encoder.ts";
export { registerBuiltins } from "./register_builtins.ts";

/**
 * How a granularity treats the layer kinds whose grains the paper leaves open: dense (fully
 * connected) layers, 1x1 ("pointwise") convolutions and depthwise convolutions. Every built-in
 * granularity takes these three options.
 *
 * @module
 */

/**
 * How a granularity cuts a dense layer `[in, out]`.
 *
 * - `"conv"`: as a 1x1 conv `[1, 1, in, out]` with the granularity's own grain (PAPER.md's
 *   default: 0-D, 1-D and 2-D become element-wise, 3-D removes an output neuron `[in, 1]`,
 *   `channel` an input neuron `[1, out]`, `nm` groups along `in`).
 * - `"element"`: every weight is its own grain.
 * - `"neuron"`: one grain per output neuron, a column `[in, 1]`.
 * - `"skip"`: the layer is not pruned (`partition` returns `undefined`).
 */
export type DensePolicy = "conv" | "element" | "neuron" | "skip";

/** Whether a 1x1 conv (`kh = kw = 1`) is pruned (`"prune"`) or left dense (`"skip"`). */
export type PointwisePolicy = "prune" | "skip";

/**
 * How a granularity cuts a depthwise layer `[kh, kw, cin, multiplier]`, where every
 * `[kh, kw]` kernel is the whole filter of one output channel.
 *
 * - `"kernel"`: pruned, with 2-D and 3-D both meaning whole kernels `[kh, kw, 1, 1]`.
 * - `"skip"`: the layer is not pruned.
 */
export type DepthwisePolicy = "kernel" | "skip";

/** The layer-kind policies every built-in granularity accepts. */
export interface LayerPolicyOptions {
  /**
   * Treatment of dense layers. The default follows PAPER.md (a dense layer is a 1x1 conv):
   * `"element"` for 0-D, 1-D and 2-D, `"neuron"` for 3-D, `"conv"` for channel, N:M and block.
   */
  readonly dense?: DensePolicy;
  /**
   * Treatment of 1x1 convolutions.
   *
   * @default {"prune"}
   */
  readonly pointwise?: PointwisePolicy;
  /**
   * Treatment of depthwise convolutions.
   *
   * @default {"kernel"}
   */
  readonly depthwise?: DepthwisePolicy;
}

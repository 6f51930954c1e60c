/**
 * The data types every sparsegrain plugin speaks: layers and their weights, grains, masks, and
 * the four plugin contracts ({@link Granularity}, {@link SaliencyMetric}, {@link Encoder},
 * {@link AcceleratorModel}). Tensors use tfjs layouts: conv `[kh, kw, cin, cout]`, dense
 * `[in, out]`, depthwise `[kh, kw, cin, multiplier]`, all row-major.
 *
 * @module
 */

/** The kinds of prunable layers. */
export type LayerKind = "conv2d" | "dense" | "depthwise";

/** Spatial geometry of a conv layer, needed by accelerator models. */
export interface ConvGeometry {
  /** Input height and width in activations. */
  readonly inputHeight: number;
  /** Input width in activations. */
  readonly inputWidth: number;
  /** Output height after stride and padding. */
  readonly outputHeight: number;
  /** Output width after stride and padding. */
  readonly outputWidth: number;
  /** Vertical and horizontal stride. */
  readonly strides: readonly [number, number];
  /** Vertical and horizontal dilation. */
  readonly dilation: readonly [number, number];
  /** `"same"` or `"valid"` padding, as in tfjs. */
  readonly padding: "same" | "valid";
  /** Number of groups (1 for an ordinary conv); `cin` in the weight shape is per group. */
  readonly groups: number;
}

/** One prunable weight tensor, row-major in its tfjs layout. */
export interface LayerWeights {
  /** Layer name, unique within a model (configs target layers by it). */
  readonly name: string;
  /** Layer kind. */
  readonly kind: LayerKind;
  /** conv/depthwise `[kh, kw, cin, cout|multiplier]`, dense `[in, out]`. */
  readonly shape: readonly number[];
  /** The weights; `values.length` equals the product of `shape`. */
  readonly values: Float32Array;
  /** Spatial geometry (conv and depthwise layers), for accelerator models. */
  readonly geometry?: ConvGeometry;
}

/** A keep mask over a tensor's elements (1 keeps, 0 prunes), or over grains where stated. */
export type Mask = Uint8Array;

/** A regular tiling of a tensor into blocks, the shape of every built-in granularity. */
export interface BlockLayout {
  /** The tensor shape. */
  readonly shape: readonly number[];
  /** Block extent per axis (1 = each index on its own, the axis length = the whole axis). */
  readonly block: readonly number[];
}

/** A constraint that grains be kept in fixed numbers per group (N:M sparsity). */
export interface GrainGroups {
  /** Number of groups. */
  readonly count: number;
  /** Grains kept per group, exactly. */
  readonly keep: number;
  /** Group index of every grain. */
  readonly groupOf: Int32Array;
}

/**
 * A partition of one tensor's elements into grains, the units pruned together. Grains are
 * numbered `0..count-1`; that order, and the order of `elementsOf`, is the linearisation
 * encoders use.
 */
export interface Grains {
  /** Number of grains. */
  readonly count: number;
  /** Number of elements in the tensor. */
  readonly elements: number;
  /** The largest grain's size in elements (every grain, for built-ins). */
  readonly maxSize: number;
  /** Writes the element indices of `grain` into `out` in linearisation order; returns how many. */
  elementsOf(grain: number, out: Int32Array): number;
  /** The grain index of every element (length `elements`). May be computed on each call. */
  elementGrain(): Int32Array;
  /** Present when the grains are a regular block tiling; enables fast loops. */
  readonly block?: BlockLayout;
  /** Present when selection must keep an exact number of grains per group (N:M). */
  readonly groups?: GrainGroups;
}

/** Fields every plugin carries. */
export interface PluginInfo {
  /** Registry name, e.g. `"1d"` or `"relative-index"`. */
  readonly name: string;
  /** Semantic version of the plugin, recorded with every result. */
  readonly version: string;
  /** One sentence saying what it does and with which options. */
  describe(): string;
  /** The options it was built with, for reports and `plugins --json`. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Cuts a layer into grains. Return `undefined` when the layer is not pruned at this granularity. */
export interface Granularity extends PluginInfo {
  /** Partitions the layer, or returns `undefined` to leave the layer dense. */
  partition(layer: LayerWeights): Grains | undefined;
}

/** Extra inputs a saliency metric may need. */
export interface SaliencyContext {
  /** Gradient of the loss w.r.t. the layer's weights, same layout as `values`. */
  readonly gradients?: Float32Array;
}

/** Scores grains; higher means more important (kept first). */
export interface SaliencyMetric extends PluginInfo {
  /** One finite, non-negative score per grain. */
  score(layer: LayerWeights, grains: Grains, context?: SaliencyContext): Float32Array;
}

/** Bit counts of an encoded layer; the parts sum to `total`, which is `bytes.length * 8`. */
export interface StorageBits {
  /** Bits of kept weight values. */
  readonly value: number;
  /** Bits of indices (relative indices, bitmask bits, column indices, row pointers). */
  readonly index: number;
  /** Bits of filler entries written when a gap overflows the index. */
  readonly filler: number;
  /** Bits of the self-describing header. */
  readonly header: number;
  /** Bits that pad the stream to whole bytes. */
  readonly padding: number;
  /** Stream length in bits. */
  readonly total: number;
}

/** Effect of linear value quantisation on the kept weights. */
export interface QuantizationReport {
  /** Bits per value. */
  readonly bits: number;
  /** Step between adjacent levels (0 when every kept weight is 0, or for float values). */
  readonly scale: number;
  /** Largest absolute error over kept weights. */
  readonly maxAbsError: number;
  /** Root-mean-square error over kept weights. */
  readonly rmsError: number;
}

/** A layer written by an {@link Encoder}. */
export interface EncodedLayer {
  /** Name of the encoder that wrote it. */
  readonly encoder: string;
  /** Name of the layer. */
  readonly layer: string;
  /** The bitstream. */
  readonly bytes: Uint8Array;
  /** Size breakdown. */
  readonly bits: StorageBits;
  /** Kept grains written. */
  readonly keptGrains: number;
  /** Filler entries written (0 for formats without fillers). */
  readonly fillers: number;
  /** Quantisation effect on the kept weights. */
  readonly quantization: QuantizationReport;
}

/** Stores a masked layer as a real bitstream and reads it back. */
export interface Encoder extends PluginInfo {
  /** Encodes the masked layer (`mask` over elements, consistent with `grains`). */
  encode(layer: LayerWeights, mask: Mask, grains: Grains): EncodedLayer;
  /** Decodes a stream to the masked (and quantised) tensor; throws `BitstreamError` on bad input. */
  decode(bytes: Uint8Array, grains: Grains): Float32Array;
}

/** Measured or assumed density of a layer's input activations. */
export interface ActivationDensity {
  /** Fraction of non-zero input activations, in [0, 1]. */
  readonly input: number;
  /** Optional fraction per input channel (length cin). */
  readonly perChannel?: Float32Array;
}

/** The memory reference kinds an accelerator model counts. */
export type MemoryRefKind =
  | "weight"
  | "index"
  | "inputActivation"
  | "accumulatorRead"
  | "accumulatorWrite"
  | "outputWrite";

/** What one layer costs on an accelerator. */
export interface LayerCost {
  /** Layer name. */
  readonly layer: string;
  /** Accelerator model name. */
  readonly accelerator: string;
  /** Dense multiply-accumulates of the layer. */
  readonly macs: number;
  /** Multiplications actually performed. */
  readonly products: number;
  /** Cycles. */
  readonly cycles: number;
  /** Fraction of multiplier-cycles doing useful products, in [0, 1]. */
  readonly utilisation: number;
  /** On-chip memory references by kind. */
  readonly references: Readonly<Record<MemoryRefKind, number>>;
  /** Bytes moved to and from DRAM. */
  readonly dramBytes: number;
  /** Energy by kind in picojoules. */
  readonly energy: Readonly<Record<string, number>>;
  /** Total energy in picojoules. */
  readonly totalEnergy: number;
}

/** Counts what a masked layer costs on a piece of hardware. */
export interface AcceleratorModel extends PluginInfo {
  /** Evaluates one layer given its mask (over elements) and input activation density. */
  evaluate(
    layer: LayerWeights,
    mask: Mask,
    grains: Grains,
    activation: ActivationDensity,
  ): LayerCost;
}

/** The four plugin kinds. */
export type PluginKind = "granularity" | "saliency" | "encoder" | "accelerator";

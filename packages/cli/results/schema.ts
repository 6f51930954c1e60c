/**
 * The results file format: one JSON object per line of `results.jsonl`, one line per finished
 * point of a sweep. Documented in docs/config.md ("Results").
 *
 * @module
 */

/** Format tag written in every line; bumped on incompatible changes. */
export const RESULTS_SCHEMA = "sparsegrain.results/1";

/** A plugin a result depended on. */
export interface PluginRecord {
  readonly kind: string;
  readonly name: string;
  readonly version: string;
  /** Label in this study's tables and charts. */
  readonly label: string;
  /** `"builtin"` or the module named under `plugins:`. */
  readonly source: string;
}

/** Storage of a point (or a layer) under one encoder. */
export interface StorageRecord {
  /** Stream length in bits. */
  readonly bits: number;
  readonly value: number;
  readonly index: number;
  readonly filler: number;
  readonly header: number;
  readonly padding: number;
  /** Filler entries. */
  readonly fillers: number;
  /** Bits per kept weight. */
  readonly bitsPerKept: number;
  /** Dense 32-bit float size divided by `bits`. */
  readonly compression: number;
}

/** Accelerator cost of a point (or a layer). */
export interface CostRecord {
  readonly macs: number;
  readonly products: number;
  readonly cycles: number;
  readonly utilisation: number;
  readonly references: Readonly<Record<string, number>>;
  /** Sum of `references`. */
  readonly referencesTotal: number;
  readonly dramBytes: number;
  /** Picojoules by kind. */
  readonly energy: Readonly<Record<string, number>>;
  /** Picojoules. */
  readonly totalEnergy: number;
}

/** One layer of a point. */
export interface LayerRecord {
  readonly name: string;
  readonly kind: string;
  readonly shape: readonly number[];
  readonly elements: number;
  readonly kept: number;
  readonly density: number;
  readonly pruned: boolean;
  readonly grains: number;
  readonly keptGrains: number;
  /** Zero weights by the coarsest whole unit they form. */
  readonly zeros: Readonly<Record<string, number>>;
  /** Input activation density used by the cost models. */
  readonly activationDensity: number;
  readonly storage: Readonly<Record<string, StorageRecord>>;
  readonly cost: Readonly<Record<string, CostRecord>>;
}

/** Accuracy of a trained, pruned, fine-tuned point. */
export interface AccuracyRecord {
  /** Top-1 on the test set, float weights, in [0, 1]. */
  readonly top1: number;
  /** Top-1 after linear quantisation of the kept weights. */
  readonly top1Quantized: number;
  /** Bits of that quantisation. */
  readonly quantizationBits: number;
  /** Top-1 of the dense baseline. */
  readonly baselineTop1: number;
  /** Top-1 of the dense baseline after the same quantisation. */
  readonly baselineTop1Quantized: number;
  /** Test images evaluated. */
  readonly testImages: number;
}

/** A small picture of one layer's mask: rows x cols cells, 1 = kept. */
export interface MaskPicture {
  readonly layer: string;
  /** Picture height (filters x kh). */
  readonly rows: number;
  /** Picture width (input channels x kw). */
  readonly cols: number;
  /** Kernel height and width (cell blocks drawn per kernel). */
  readonly kernel: readonly [number, number];
  /** Row-major cells, base64 of the bits packed MSB-first. */
  readonly bits: string;
}

/** One line of results.jsonl. */
export interface ResultLine {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly configHash: string;
  readonly study: string;
  /** Stable point id, e.g. `wf/vgg16/2d/han2015-vgg16/s0`. */
  readonly point: string;
  /** Position of the point in the unsharded study order. */
  readonly index: number;
  readonly half: "accuracy" | "weight-free";
  readonly model: string;
  readonly granularity: string;
  readonly saliency: string;
  /** `"0.3"` for a uniform density, or the density map's name. */
  readonly densityLabel: string;
  /** Overall target density (weight-weighted for maps). */
  readonly targetDensity: number;
  readonly seed: number;
  readonly plugins: readonly PluginRecord[];
  readonly timings: {
    readonly startedAt: string;
    readonly totalMs: number;
    readonly [phase: string]: number | string;
  };
  readonly metrics: {
    /** Weights in the prunable layers. */
    readonly params: number;
    readonly kept: number;
    readonly density: number;
    readonly sparsity: number;
    /** Dense MACs of the prunable layers (from the first accelerator model, when any). */
    readonly macs: number;
    readonly accuracy?: AccuracyRecord;
    readonly storage: Readonly<Record<string, StorageRecord>>;
    readonly cost: Readonly<Record<string, CostRecord>>;
    /** `"measured"`, a uniform density, or a density map name. */
    readonly activation: string | number;
    /** Where the weights came from, e.g. seeded He-normal (weight-free) or trained. */
    readonly weights: string;
  };
  readonly layers: readonly LayerRecord[];
  readonly maskPicture?: MaskPicture;
}

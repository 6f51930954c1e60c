/**
 * Model summaries: parameters, MACs and grain counts per prunable layer.
 *
 * @module
 */
import { ConfigError, type ConvGeometry, type LayerKind } from "@sparsegrain/core";
import { type LayersModel, prunableLayers } from "./layers.ts";

/** Grain counts of one layer at the four built-in granularities (PAPER.md's table). */
export interface GrainCounts {
  /** 0-D: single weights, `kh*kw*cin*cout`. */
  readonly "0d": number;
  /** 1-D: kernel rows `W[h, :, i, o]`, `kh*cin*cout`. */
  readonly "1d": number;
  /** 2-D: kernels `W[:, :, i, o]`, `cin*cout`. */
  readonly "2d": number;
  /** 3-D: filters `W[:, :, :, o]`, `cout`. */
  readonly "3d": number;
}

/** Summary of one prunable layer. */
export interface LayerSummary {
  /** Layer name. */
  readonly name: string;
  /** Layer kind. */
  readonly kind: LayerKind;
  /** Kernel shape in tfjs layout (`cin` per group for grouped convs). */
  readonly shape: readonly number[];
  /** Kernel weights (the prunable tensor's size; the bias is not included). */
  readonly params: number;
  /** Bias parameters of the layer (0 without a bias). */
  readonly bias: number;
  /** Multiply-accumulates for one input image. */
  readonly macs: number;
  /** Grain counts per granularity. */
  readonly grains: GrainCounts;
  /** Spatial geometry (conv and depthwise layers). */
  readonly geometry?: ConvGeometry;
}

/** Summary of a model. */
export interface ModelSummary {
  /** Model name. */
  readonly model: string;
  /** Input `[height, width, channels]`. */
  readonly inputShape: readonly number[];
  /** Parameters: every weight except batch-norm running statistics (PyTorch's count). */
  readonly params: number;
  /** Weights in the prunable tensors (conv, depthwise and dense kernels). */
  readonly weights: number;
  /** Multiply-accumulates of conv, depthwise and dense layers for one image. */
  readonly macs: number;
  /** Per prunable layer, in model order. */
  readonly layers: readonly LayerSummary[];
}

/** Options of {@link summarizeModel}. */
export interface SummaryOptions {
  /** Name to report. @default the model's name */
  name?: string;
  /**
   * Expected input `[height, width, channels]`. MACs depend on it, and the model fixes it when
   * built, so a different shape is an error that says to rebuild the model with it.
   * @default the model's input shape
   */
  inputShape?: readonly number[];
}

function product(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

function grainCounts(kind: LayerKind, shape: readonly number[]): GrainCounts {
  const all = product(shape);
  if (kind === "dense") return { "0d": all, "1d": all, "2d": all, "3d": shape[1] };
  const [kh, , cin, cout] = shape;
  return {
    "0d": all,
    "1d": kh * cin * cout,
    "2d": cin * cout,
    "3d": cout * (kind === "depthwise" ? cin : 1),
  };
}

function isRunningStatistic(name: string): boolean {
  return name.endsWith("/moving_mean") || name.endsWith("/moving_variance");
}

/**
 * Summarises a built model: parameters, and per prunable layer its kernel shape, weights, MACs at
 * the model's input size and the number of grains at 0-D, 1-D, 2-D and 3-D granularity. Dense
 * layers count as 1x1 convs (0-D = 1-D = 2-D = in*out, 3-D = out); for depthwise layers each
 * output channel is one filter. Counts come from shapes alone; no weights are read.
 *
 * @param model A built tfjs-layers model with a fixed input size.
 * @param options Report name and the expected input shape.
 * @returns The summary.
 * @throws {ConfigError} When `options.inputShape` differs from the model's input.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, summarizeModel } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = createModel("lenet5", { init: "zeros" });
 * const summary = summarizeModel(model);
 * assert(summary.params === 61706);
 * assert(summary.layers[1].grains["2d"] === 6 * 16); // conv2 kernels
 * model.dispose();
 * ```
 */
export function summarizeModel(model: LayersModel, options: SummaryOptions = {}): ModelSummary {
  const inputShape = (model.inputs[0].shape.slice(1) as (number | null)[]).map((d) => d ?? 0);
  if (
    options.inputShape !== undefined &&
    options.inputShape.join("x") !== inputShape.join("x")
  ) {
    throw new ConfigError(
      "inputShape",
      `the model was built for ${JSON.stringify(inputShape)}, not ` +
        `${JSON.stringify(options.inputShape)}: rebuild it with createModel(name, { inputShape })`,
    );
  }
  let params = 0;
  for (const w of model.weights) {
    if (!isRunningStatistic(w.originalName)) params += product(w.shape as number[]);
  }
  let weights = 0;
  let macs = 0;
  const layers = prunableLayers(model).map((p): LayerSummary => {
    const size = product(p.shape);
    const g = p.geometry;
    const layerMacs = g === undefined ? size * p.positions : size * g.outputHeight * g.outputWidth;
    const bias = p.layer.weights.find((w) => w.originalName.endsWith("/bias"));
    weights += size;
    macs += layerMacs;
    return {
      name: p.name,
      kind: p.kind,
      shape: [...p.shape],
      params: size,
      bias: bias === undefined ? 0 : product(bias.shape as number[]),
      macs: layerMacs,
      grains: grainCounts(p.kind, p.shape),
      ...(g === undefined ? {} : { geometry: g }),
    };
  });
  return { model: options.name ?? model.name, inputShape, params, weights, macs, layers };
}

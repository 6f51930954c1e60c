/**
 * Accuracy with linearly quantised weights: what 8-bit storage of the kept weights costs.
 *
 * @module
 */
import type { Mask, QuantizationReport } from "@sparsegrain/core";
import type { ImageSet } from "../data/image_set.ts";
import type { LayersModel } from "../layers.ts";
import { quantizeModelWeights } from "../bridge.ts";
import { evaluateModel, type EvaluateOptions, type Evaluation } from "./evaluate.ts";

/** Options of {@link evaluateQuantized}. */
export interface QuantizedEvaluationOptions extends EvaluateOptions {
  /** Bits per kept weight. @default 8 */
  bits?: number;
  /** Pruning masks by layer name (pruned weights stay 0). */
  masks?: Readonly<Record<string, Mask>>;
}

/** An evaluation with quantised weights, and the quantisation error per layer. */
export interface QuantizedEvaluation extends Evaluation {
  /** Bits per kept weight. */
  readonly bits: number;
  /** Quantisation report per prunable layer. */
  readonly quantization: Readonly<Record<string, QuantizationReport>>;
}

/**
 * Evaluates the model with every prunable kernel replaced by its linear quantisation (core
 * `quantizeLinear`, one symmetric scale per layer), then restores the float weights.
 *
 * @param model the model
 * @param set the evaluation images
 * @param options bits, masks and evaluation options
 * @returns the evaluation and per-layer quantisation reports
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateQuantized, setupWasmBackend, smallCnn, type ImageSet } from "@sparsegrain/models";
 * await setupWasmBackend();
 * const set: ImageSet = { name: "t", images: new Uint8Array(2 * 784).fill(9), labels: new Uint8Array([0, 1]),
 *   count: 2, height: 28, width: 28, channels: 1, classes: 10 };
 * const model = smallCnn({ seed: 1 });
 * const e = evaluateQuantized(model, set, { bits: 8 });
 * assert(e.bits === 8 && e.quantization.conv1.bits === 8);
 * model.dispose();
 * ```
 */
export function evaluateQuantized(
  model: LayersModel,
  set: ImageSet,
  options: QuantizedEvaluationOptions = {},
): QuantizedEvaluation {
  const bits = options.bits ?? 8;
  const q = quantizeModelWeights(model, { bits, masks: options.masks });
  try {
    return { ...evaluateModel(model, set, options), bits, quantization: q.reports };
  } finally {
    q.restore();
  }
}

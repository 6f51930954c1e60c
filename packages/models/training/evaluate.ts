/**
 * Top-1 / top-5 accuracy and cross-entropy of a model on an image set (inference mode).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { imageBatches, type Normalization } from "../data/batches.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { LayersModel } from "../layers.ts";
import { checkFits, imageTensor } from "./_batch_tensors.ts";

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** Images per forward pass. @default 256 */
  batchSize?: number;
  /** Normalisation (use the training set's). @default pixels scaled to [0, 1] */
  normalization?: Normalization;
  /** The `k` of the top-k accuracy reported as `top5`. @default 5 */
  topK?: number;
}

/** Result of an evaluation. */
export interface Evaluation {
  /** Fraction of images whose highest logit is the true class. */
  readonly top1: number;
  /** Fraction whose true class is among the `topK` highest logits (ties count against). */
  readonly top5: number;
  /** Mean softmax cross-entropy. */
  readonly loss: number;
  /** Images evaluated. */
  readonly count: number;
  /** Wall time in seconds. */
  readonly seconds: number;
}

/**
 * Runs the model over a set in inference mode (dropout off, batch norm on its moving
 * statistics) and scores its logits.
 *
 * @param model a classifier whose output is one logit per class
 * @param set the images
 * @param options batch size, normalisation, k
 * @returns accuracy, loss and timing
 * @throws {ConfigError} when the model's input or output does not fit the set
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateModel, setupWasmBackend, smallCnn, type ImageSet } from "@sparsegrain/models";
 * await setupWasmBackend();
 * const set: ImageSet = { name: "zeros", images: new Uint8Array(4 * 784), labels: new Uint8Array([0, 1, 2, 3]),
 *   count: 4, height: 28, width: 28, channels: 1, classes: 10 };
 * const model = smallCnn({ seed: 1 });
 * const e = evaluateModel(model, set);
 * assert(e.count === 4 && e.top1 <= e.top5);
 * model.dispose();
 * ```
 */
export function evaluateModel(
  model: LayersModel,
  set: ImageSet,
  options: EvaluateOptions = {},
): Evaluation {
  checkFits(model, set);
  const k = options.topK ?? 5;
  const start = performance.now();
  let top1 = 0;
  let topk = 0;
  let loss = 0;
  const classes = set.classes;
  for (
    const batch of imageBatches(set, {
      batchSize: options.batchSize ?? 256,
      normalization: options.normalization,
    })
  ) {
    const logits = tf.tidy(() => {
      const out = model.predict(imageTensor(set, batch)) as tf.Tensor;
      return out.dataSync() as Float32Array;
    });
    for (let i = 0; i < batch.size; i++) {
      const row = i * classes;
      const truth = logits[row + batch.labels[i]];
      let above = 0;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        const v = logits[row + c];
        if (v > truth) above++;
        if (v > max) max = v;
      }
      // Ties with the true class count against it, so a constant output scores 0.
      let ties = 0;
      for (let c = 0; c < classes; c++) if (logits[row + c] === truth) ties++;
      if (above === 0 && ties === 1) top1++;
      if (above + ties - 1 < k) topk++;
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
      loss += Math.log(sum) + max - truth;
    }
  }
  return {
    top1: top1 / set.count,
    top5: topk / set.count,
    loss: loss / set.count,
    count: set.count,
    seconds: (performance.now() - start) / 1000,
  };
}

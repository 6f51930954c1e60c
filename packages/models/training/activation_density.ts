/**
 * Measures, on real data, how dense each prunable layer's input activations are: the quantity
 * an SCNN-like accelerator skips on, and what core's {@link ActivationDensity} carries.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ActivationDensity } from "@sparsegrain/core";
import { imageBatches, type Normalization } from "../data/batches.ts";
import type { ImageSet } from "../data/image_set.ts";
import { type LayersModel, prunableLayers } from "../layers.ts";
import { checkFits, imageTensor } from "./_batch_tensors.ts";

/** Options of {@link measureActivationDensity}. */
export interface ActivationDensityOptions {
  /** Images per forward pass. @default 64 */
  batchSize?: number;
  /** Normalisation of the inputs (as in training). @default pixels scaled to [0, 1] */
  normalization?: Normalization;
  /** Only these layers. @default every prunable layer */
  layers?: readonly string[];
}

/** Density per layer and per input channel. */
export interface MeasuredDensity extends ActivationDensity {
  /** Fraction of non-zero input activations per input channel (length = input channels). */
  readonly perChannel: Float32Array;
}

/**
 * Runs the model in inference mode over `set` and counts, for every prunable layer, the
 * non-zero entries of its input: overall and per input channel (the last axis: channels of a
 * conv input, features of a dense input).
 *
 * @param model the model
 * @param set real images (e.g. the test set)
 * @param options batch size, normalisation, layers
 * @returns `{ input, perChannel }` by layer name
 * @throws {ConfigError} when the model does not fit the set
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { measureActivationDensity, setupWasmBackend, smallCnn, type ImageSet } from "@sparsegrain/models";
 * await setupWasmBackend();
 * const set: ImageSet = { name: "half", images: new Uint8Array(2 * 784).map((_, i) => (i % 2) * 255),
 *   labels: new Uint8Array([0, 1]), count: 2, height: 28, width: 28, channels: 1, classes: 10 };
 * const model = smallCnn({ seed: 1 });
 * const d = measureActivationDensity(model, set);
 * assert(d.conv1.input === 0.5 && d.fc2.perChannel.length === 128);
 * model.dispose();
 * ```
 */
export function measureActivationDensity(
  model: LayersModel,
  set: ImageSet,
  options: ActivationDensityOptions = {},
): Record<string, MeasuredDensity> {
  checkFits(model, set);
  let layers = prunableLayers(model);
  if (options.layers !== undefined) {
    const wanted = new Set(options.layers);
    layers = layers.filter((l) => wanted.has(l.name));
  }
  if (layers.length === 0) return {};
  // The activations each layer reads (before any zero-padding layer: padding is not data).
  const inputs = layers.map((l) => l.input);
  // A view of the same layers (no weights of its own) whose outputs are the layers' inputs.
  const probe = tf.model({ inputs: model.inputs, outputs: inputs });
  const channels = inputs.map((s) => s.shape[s.shape.length - 1] as number);
  const nonZero = channels.map((c) => new Float64Array(c));
  const totals = new Float64Array(layers.length);
  for (
    const batch of imageBatches(set, {
      batchSize: options.batchSize ?? 64,
      normalization: options.normalization,
    })
  ) {
    const counts = tf.tidy(() => {
      let outs = probe.predict(imageTensor(set, batch)) as tf.Tensor | tf.Tensor[];
      if (!Array.isArray(outs)) outs = [outs];
      return outs.map((a) => {
        const axes = [...Array(a.rank - 1).keys()];
        return tf.sum(tf.cast(tf.notEqual(a, 0), "float32"), axes).dataSync() as Float32Array;
      });
    });
    counts.forEach((c, i) => {
      const acc = nonZero[i];
      for (let k = 0; k < c.length; k++) acc[k] += c[k];
    });
    inputs.forEach((s, i) => {
      const positions = s.shape.slice(1, -1).reduce((p: number, d) => p * (d ?? 1), 1);
      totals[i] += batch.size * positions;
    });
  }
  const out: Record<string, MeasuredDensity> = {};
  layers.forEach((l, i) => {
    const per = new Float32Array(channels[i]);
    let all = 0;
    for (let k = 0; k < per.length; k++) {
      per[k] = nonZero[i][k] / totals[i];
      all += nonZero[i][k];
    }
    out[l.name] = { input: all / (totals[i] * channels[i]), perChannel: per };
  });
  return out;
}

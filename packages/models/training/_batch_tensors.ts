/**
 * Private helpers shared by training and evaluation: batch tensors and input-shape checks.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import type { Batch } from "../data/batches.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { LayersModel } from "../layers.ts";

/** NHWC image tensor of a batch. */
export function imageTensor(set: ImageSet, batch: Batch): tf.Tensor4D {
  return tf.tensor4d(batch.images, [batch.size, set.height, set.width, set.channels], "float32");
}

/** Throws a ConfigError when the model's input or output does not fit the set. */
export function checkFits(model: LayersModel, set: ImageSet): void {
  const input = model.inputs[0]?.shape ?? [];
  const [, h, w, c] = input;
  if (input.length !== 4 || h !== set.height || w !== set.width || c !== set.channels) {
    throw new ConfigError(
      "dataset",
      `model "${model.name}" takes inputs [${input.slice(1).join(", ")}] but "${set.name}" holds ` +
        `${set.height}x${set.width}x${set.channels} images: build the model with inputShape ` +
        `[${set.height}, ${set.width}, ${set.channels}]`,
    );
  }
  const output = model.outputs[0]?.shape ?? [];
  if (output[output.length - 1] !== set.classes) {
    throw new ConfigError(
      "dataset",
      `model "${model.name}" has ${output[output.length - 1]} outputs but "${set.name}" has ` +
        `${set.classes} classes: build the model with classes ${set.classes}`,
    );
  }
}

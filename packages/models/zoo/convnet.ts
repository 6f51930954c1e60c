/**
 * A VGG-style CNN for 28x28 images, the default network of real experiments.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { buildModel } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/** Options of {@link convnet}. */
export interface ConvNetOptions extends ModelOptions {
  /** Dropout rate after `fc5`. @default 0.3 */
  dropout?: number;
}

/**
 * A VGG-style CNN for 28x28 images built from the ops the wasm backend trains fast (conv, max
 * pool, dense, ReLU), with 5x5 and 3x3 kernels and multi-channel inputs everywhere but `conv1`,
 * so 1-D, 2-D and 3-D pruning remove different things:
 * `conv1` 5x5 1->32, pool, `conv2` 3x3 32->32, `conv3` 3x3 32->64, pool, `conv4` 3x3 64->64,
 * `fc5` 3136->128, dropout, `fc6` 128->classes (all convs "same"). 468,330 parameters and
 * 8.3 M multiply-accumulates for 28x28x1 and 10 classes.
 *
 * @param options Input shape (default `[28, 28, 1]`), classes (default 10), initialisation,
 *   dropout.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { convnet } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = convnet({ seed: 0 });
 * assert(model.countParams() === 468330);
 * model.dispose();
 * ```
 */
export function convnet(options: ConvNetOptions = {}): LayersModel {
  const rate = options.dropout ?? 0.3;
  return buildModel("convnet", options, { inputShape: [28, 28, 1], classes: 10 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 32, 5);
    x = b.maxPool(x, "pool1", 2, 2);
    x = b.conv(x, "conv2", 32, 3);
    x = b.conv(x, "conv3", 64, 3);
    x = b.maxPool(x, "pool2", 2, 2);
    x = b.conv(x, "conv4", 64, 3);
    x = b.flatten(x, "flatten");
    x = b.dense(x, "fc5", 128);
    x = b.dropout(x, "drop5", rate);
    return b.dense(x, "fc6", b.classes, "linear");
  });
}

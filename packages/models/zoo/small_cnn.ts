/**
 * The small CNN of the PyTorch peer benchmark.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { buildModel } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/**
 * The small CNN that `bench/` compares with PyTorch (`torch_train.py`'s `SmallCNN`, layer for
 * layer): `conv1` 3x3 1->32 ("valid"), pool, `conv2` 3x3 32->64 ("valid"), pool, `fc1` 1600->128,
 * `fc2` 128->classes. 225,034 parameters for 28x28x1 and 10 classes.
 *
 * @param options Input shape (default `[28, 28, 1]`), classes (default 10), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { smallCnn } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = smallCnn();
 * assert(model.countParams() === 225034);
 * model.dispose();
 * ```
 */
export function smallCnn(options: ModelOptions = {}): LayersModel {
  return buildModel("small-cnn", options, { inputShape: [28, 28, 1], classes: 10 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 32, 3, { padding: "valid" });
    x = b.maxPool(x, "pool1", 2, 2);
    x = b.conv(x, "conv2", 64, 3, { padding: "valid" });
    x = b.maxPool(x, "pool2", 2, 2);
    x = b.flatten(x, "flatten");
    x = b.dense(x, "fc1", 128);
    return b.dense(x, "fc2", b.classes, "linear");
  });
}

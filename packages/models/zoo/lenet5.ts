/**
 * LeNet-5.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { buildModel } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/**
 * LeNet-5 for 28x28 images (LeCun 1998 with ReLU and max pooling): `conv1` 5x5x6 ("same"),
 * pool, `conv2` 5x5x16 ("valid"), pool, `fc3` 120, `fc4` 84, `fc5` classes. 61,706 parameters
 * for 28x28x1 and 10 classes.
 *
 * @param options Input shape (default `[28, 28, 1]`), classes (default 10), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { lenet5 } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = lenet5();
 * assert(model.countParams() === 61706);
 * model.dispose();
 * ```
 */
export function lenet5(options: ModelOptions = {}): LayersModel {
  return buildModel("lenet5", options, { inputShape: [28, 28, 1], classes: 10 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 6, 5);
    x = b.maxPool(x, "pool1", 2, 2);
    x = b.conv(x, "conv2", 16, 5, { padding: "valid" });
    x = b.maxPool(x, "pool2", 2, 2);
    x = b.flatten(x, "flatten");
    x = b.dense(x, "fc3", 120);
    x = b.dense(x, "fc4", 84);
    return b.dense(x, "fc5", b.classes, "linear");
  });
}

/**
 * AlexNet, torchvision variant.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { buildModel } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/** Options of {@link alexnet} and {@link alexnetCaffe}. */
export interface AlexNetOptions extends ModelOptions {
  /** Dropout rate before fc6 and fc7. @default 0.5 */
  dropout?: number;
}

/**
 * AlexNet as in torchvision (one tower, 64-192-384-256-256 channels, no LRN): 61,100,840
 * parameters and 714 M multiply-accumulates at 224x224. Prunable layers `conv1`..`conv5`,
 * `fc6`..`fc8`; conv1's padding of 2 is a `conv1_pad` layer before a `"valid"` conv.
 *
 * @param options Input shape (default `[224, 224, 3]`), classes (default 1000), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { alexnet } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = alexnet({ inputShape: [67, 67, 3], classes: 10, init: "zeros" });
 * assert(model.getLayer("fc8").outputShape[1] === 10);
 * model.dispose();
 * ```
 */
export function alexnet(options: AlexNetOptions = {}): LayersModel {
  const rate = options.dropout ?? 0.5;
  return buildModel("alexnet", options, { inputShape: [224, 224, 3], classes: 1000 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 64, 11, { strides: 4, pad: 2 });
    x = b.maxPool(x, "pool1", 3, 2);
    x = b.conv(x, "conv2", 192, 5);
    x = b.maxPool(x, "pool2", 3, 2);
    x = b.conv(x, "conv3", 384, 3);
    x = b.conv(x, "conv4", 256, 3);
    x = b.conv(x, "conv5", 256, 3);
    x = b.maxPool(x, "pool5", 3, 2);
    x = b.flatten(x, "flatten");
    x = b.dropout(x, "drop6", rate);
    x = b.dense(x, "fc6", 4096);
    x = b.dropout(x, "drop7", rate);
    x = b.dense(x, "fc7", 4096);
    return b.dense(x, "fc8", b.classes, "linear");
  });
}

/**
 * AlexNet as in Caffe's BVLC reference model (Krizhevsky's two-tower layout): 227x227 input,
 * LRN after conv1 and conv2, and `groups = 2` in conv2, conv4 and conv5. Each grouped conv is
 * ONE layer (`conv2` holds a `[5, 5, 48, 256]` kernel, the two group kernels concatenated along
 * the output axis) computed by split, conv and concat. 60,965,224 parameters, 724 M
 * multiply-accumulates. Prunable layers `conv1`..`conv5`, `fc6`..`fc8`.
 *
 * @param options Input shape (default `[227, 227, 3]`), classes (default 1000), initialisation,
 *   and `lrn` (default `true`) to keep or drop the two LRN layers.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { alexnetCaffe, prunableLayers } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = alexnetCaffe({ inputShape: [67, 67, 3], classes: 10, init: "zeros" });
 * const conv2 = prunableLayers(model)[1];
 * assert(conv2.shape.join("x") === "5x5x48x256" && conv2.geometry?.groups === 2);
 * model.dispose();
 * ```
 */
export function alexnetCaffe(options: AlexNetOptions & { lrn?: boolean } = {}): LayersModel {
  const rate = options.dropout ?? 0.5;
  const lrn = options.lrn ?? true;
  return buildModel("alexnet-caffe", options, { inputShape: [227, 227, 3], classes: 1000 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 96, 11, { strides: 4, padding: "valid" });
    if (lrn) x = b.lrn(x, "norm1");
    x = b.maxPool(x, "pool1", 3, 2);
    x = b.conv(x, "conv2", 256, 5, { groups: 2 });
    if (lrn) x = b.lrn(x, "norm2");
    x = b.maxPool(x, "pool2", 3, 2);
    x = b.conv(x, "conv3", 384, 3);
    x = b.conv(x, "conv4", 384, 3, { groups: 2 });
    x = b.conv(x, "conv5", 256, 3, { groups: 2 });
    x = b.maxPool(x, "pool5", 3, 2);
    x = b.flatten(x, "flatten");
    x = b.dense(x, "fc6", 4096);
    x = b.dropout(x, "drop6", rate);
    x = b.dense(x, "fc7", 4096);
    x = b.dropout(x, "drop7", rate);
    return b.dense(x, "fc8", b.classes, "linear");
  });
}

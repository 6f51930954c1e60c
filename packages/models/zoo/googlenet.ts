/**
 * GoogLeNet (Inception v1), BVLC Caffe reference.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { type Builder, buildModel, type Sym } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/** Options of {@link googlenet}. */
export interface GoogLeNetOptions extends ModelOptions {
  /** Dropout rate before the classifier. @default 0.4 */
  dropout?: number;
  /** Keep the two LRN layers of the BVLC model. @default true */
  lrn?: boolean;
}

/** Branch widths: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection. */
type Widths = readonly [number, number, number, number, number, number];

const MODULES: Readonly<Record<string, Widths>> = {
  "3a": [64, 96, 128, 16, 32, 32],
  "3b": [128, 128, 192, 32, 96, 64],
  "4a": [192, 96, 208, 16, 48, 64],
  "4b": [160, 112, 224, 24, 64, 64],
  "4c": [128, 128, 256, 24, 64, 64],
  "4d": [112, 144, 288, 32, 64, 64],
  "4e": [256, 160, 320, 32, 128, 128],
  "5a": [256, 160, 320, 32, 128, 128],
  "5b": [384, 192, 384, 48, 128, 128],
};

function inception(b: Builder, x: Sym, id: string): Sym {
  const [c1, r3, c3, r5, c5, pp] = MODULES[id];
  const n = `inception_${id}`;
  const a = b.conv(x, `${n}_1x1`, c1, 1);
  const t = b.conv(b.conv(x, `${n}_3x3_reduce`, r3, 1), `${n}_3x3`, c3, 3);
  const f = b.conv(b.conv(x, `${n}_5x5_reduce`, r5, 1), `${n}_5x5`, c5, 5);
  const p = b.conv(b.maxPool(x, `${n}_pool`, 3, 1, "same"), `${n}_pool_proj`, pp, 1);
  return b.concat([a, t, f, p], `${n}_output`);
}

/**
 * GoogLeNet as in Caffe's BVLC reference model without the two auxiliary classifiers and with
 * no batch norm: 6,998,552 parameters and 1.58 G multiply-accumulates at 224x224. Layer names
 * are the BVLC ones with `/` written as `_`: `conv1_7x7_s2`, `conv2_3x3_reduce`, `conv2_3x3`,
 * `inception_3a_1x1`, `inception_3a_3x3_reduce`, `inception_3a_3x3`, `inception_3a_5x5_reduce`,
 * `inception_3a_5x5`, `inception_3a_pool_proj` (and so on for 3b, 4a-4e, 5a, 5b),
 * `loss3_classifier`. Caffe's ceil-mode 3x3/2 pools are tfjs `"same"` pools (identical windows);
 * conv1's padding of 3 is a `conv1_7x7_s2_pad` layer.
 *
 * @param options Input shape (default `[224, 224, 3]`), classes (default 1000), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { googlenet } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = googlenet({ inputShape: [64, 64, 3], classes: 10, init: "zeros" });
 * assert(model.getLayer("inception_5b_output").outputShape[3] === 1024);
 * model.dispose();
 * ```
 */
export function googlenet(options: GoogLeNetOptions = {}): LayersModel {
  const rate = options.dropout ?? 0.4;
  const lrn = options.lrn ?? true;
  return buildModel("googlenet", options, { inputShape: [224, 224, 3], classes: 1000 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1_7x7_s2", 64, 7, { strides: 2, pad: 3 });
    x = b.maxPool(x, "pool1_3x3_s2", 3, 2, "same");
    if (lrn) x = b.lrn(x, "pool1_norm1");
    x = b.conv(x, "conv2_3x3_reduce", 64, 1);
    x = b.conv(x, "conv2_3x3", 192, 3);
    if (lrn) x = b.lrn(x, "conv2_norm2");
    x = b.maxPool(x, "pool2_3x3_s2", 3, 2, "same");
    x = inception(b, x, "3a");
    x = inception(b, x, "3b");
    x = b.maxPool(x, "pool3_3x3_s2", 3, 2, "same");
    for (const id of ["4a", "4b", "4c", "4d", "4e"]) x = inception(b, x, id);
    x = b.maxPool(x, "pool4_3x3_s2", 3, 2, "same");
    x = inception(b, x, "5a");
    x = inception(b, x, "5b");
    x = b.gap(x, "pool5_7x7_s1");
    x = b.dropout(x, "pool5_drop_7x7_s1", rate);
    return b.dense(x, "loss3_classifier", b.classes, "linear");
  });
}

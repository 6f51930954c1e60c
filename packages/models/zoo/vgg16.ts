/**
 * VGG-16.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { buildModel } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

/** Options of {@link vgg16}. */
export interface Vgg16Options extends ModelOptions {
  /** Dropout rate after fc6 and fc7. @default 0.5 */
  dropout?: number;
}

/** Channels of the five VGG-16 stages. */
const STAGES: readonly (readonly number[])[] = [
  [64, 64],
  [128, 128],
  [256, 256, 256],
  [512, 512, 512],
  [512, 512, 512],
];

/**
 * VGG-16 (configuration D): thirteen 3x3 "same" convs `conv1_1`..`conv5_3` in five stages, each
 * ending in a 2x2 max pool, then `fc6`, `fc7`, `fc8`. 138,357,544 parameters and 15.47 G
 * multiply-accumulates at 224x224 (building it allocates 553 MB of weights; use `init: "zeros"`
 * when only shapes matter).
 *
 * @param options Input shape (default `[224, 224, 3]`), classes (default 1000), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { vgg16 } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = vgg16({ inputShape: [32, 32, 3], classes: 10, init: "zeros" });
 * assert(model.getLayer("conv5_3").outputShape[1] === 2);
 * model.dispose();
 * ```
 */
export function vgg16(options: Vgg16Options = {}): LayersModel {
  const rate = options.dropout ?? 0.5;
  return buildModel("vgg16", options, { inputShape: [224, 224, 3], classes: 1000 }, (b) => {
    let x = b.input();
    STAGES.forEach((channels, s) => {
      channels.forEach((c, i) => {
        x = b.conv(x, `conv${s + 1}_${i + 1}`, c, 3);
      });
      x = b.maxPool(x, `pool${s + 1}`, 2, 2);
    });
    x = b.flatten(x, "flatten");
    x = b.dense(x, "fc6", 4096);
    x = b.dropout(x, "drop6", rate);
    x = b.dense(x, "fc7", 4096);
    x = b.dropout(x, "drop7", rate);
    return b.dense(x, "fc8", b.classes, "linear");
  });
}

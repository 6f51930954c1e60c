/**
 * DenseNet-121.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { type Builder, buildModel, type Sym } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

const GROWTH = 32;
const BOTTLENECK = 4;
const BLOCKS: readonly number[] = [6, 12, 24, 16];

function denseLayer(b: Builder, x: Sym, name: string): Sym {
  const noBias = { useBias: false, activation: "linear" } as const;
  let y = b.relu(b.bn(x, `${name}_norm1`), `${name}_relu1`);
  y = b.conv(y, `${name}_conv1`, BOTTLENECK * GROWTH, 1, noBias);
  y = b.relu(b.bn(y, `${name}_norm2`), `${name}_relu2`);
  y = b.conv(y, `${name}_conv2`, GROWTH, 3, noBias);
  return b.concat([x, y], `${name}_concat`);
}

function transition(b: Builder, x: Sym, name: string): Sym {
  const channels = x.shape[3] as number;
  let y = b.relu(b.bn(x, `${name}_norm`), `${name}_relu`);
  y = b.conv(y, `${name}_conv`, Math.floor(channels / 2), 1, {
    useBias: false,
    activation: "linear",
  });
  return b.avgPool(y, `${name}_pool`, 2, 2);
}

/**
 * DenseNet-121 as in torchvision (growth rate 32, bottleneck width 4 x 32, blocks of 6, 12, 24
 * and 16 layers, compression 0.5): 7,978,856 parameters (batch-norm running statistics not
 * counted, as in PyTorch) and 2.83 G multiply-accumulates at 224x224. Layer names follow
 * torchvision with `.` written as `_`: `conv0`, `denseblock1_denselayer1_conv1`,
 * `denseblock1_denselayer1_conv2`, ..., `transition1_conv`, ..., `classifier`.
 *
 * @param options Input shape (default `[224, 224, 3]`), classes (default 1000), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { densenet121 } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = densenet121({ inputShape: [64, 64, 3], classes: 10, init: "zeros" });
 * assert(model.getLayer("norm5").outputShape[3] === 1024);
 * model.dispose();
 * ```
 */
export function densenet121(options: ModelOptions = {}): LayersModel {
  return buildModel("densenet121", options, { inputShape: [224, 224, 3], classes: 1000 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv0", 64, 7, { strides: 2, pad: 3, useBias: false, activation: "linear" });
    x = b.relu(b.bn(x, "norm0"), "relu0");
    x = b.maxPool(x, "pool0", 3, 2, "valid", 1);
    BLOCKS.forEach((layers, i) => {
      for (let l = 0; l < layers; l++) {
        x = denseLayer(b, x, `denseblock${i + 1}_denselayer${l + 1}`);
      }
      if (i < BLOCKS.length - 1) x = transition(b, x, `transition${i + 1}`);
    });
    x = b.relu(b.bn(x, "norm5"), "relu5");
    x = b.gap(x, "avgpool");
    return b.dense(x, "classifier", b.classes, "linear");
  });
}

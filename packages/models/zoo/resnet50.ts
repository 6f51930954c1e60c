/**
 * ResNet-50 v1.5.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { type Builder, buildModel, type Sym } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

function bottleneck(b: Builder, x: Sym, name: string, width: number, stride: number): Sym {
  const out = width * 4;
  const noBias = { useBias: false, activation: "linear" } as const;
  let y = b.conv(x, `${name}_conv1`, width, 1, noBias);
  y = b.relu(b.bn(y, `${name}_bn1`), `${name}_relu1`);
  y = stride === 1
    ? b.conv(y, `${name}_conv2`, width, 3, noBias)
    : b.conv(y, `${name}_conv2`, width, 3, { ...noBias, strides: stride, pad: 1 });
  y = b.relu(b.bn(y, `${name}_bn2`), `${name}_relu2`);
  y = b.bn(b.conv(y, `${name}_conv3`, out, 1, noBias), `${name}_bn3`);
  const inChannels = x.shape[3];
  let shortcut = x;
  if (stride !== 1 || inChannels !== out) {
    shortcut = b.conv(x, `${name}_downsample_conv`, out, 1, {
      ...noBias,
      strides: stride,
      padding: "valid",
    });
    shortcut = b.bn(shortcut, `${name}_downsample_bn`);
  }
  return b.relu(b.add([y, shortcut], `${name}_add`), `${name}_relu3`);
}

/**
 * ResNet-50 v1.5 as in torchvision (stride 2 on the 3x3 conv of each stage's first bottleneck,
 * convs without bias, batch norm after every conv): 25,557,032 parameters (batch-norm running
 * statistics not counted, as in PyTorch) and 4.09 G multiply-accumulates at 224x224. Layer names
 * follow torchvision with `.` written as `_`: `conv1`, `layer1_0_conv1`..`layer4_2_conv3`,
 * `layer1_0_downsample_conv`, `fc`. Stride-2 convs and the stem max pool get PyTorch's symmetric
 * padding from `*_pad` layers.
 *
 * @param options Input shape (default `[224, 224, 3]`), classes (default 1000), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { resnet50 } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = resnet50({ inputShape: [64, 64, 3], classes: 10, init: "zeros" });
 * assert(model.getLayer("layer4_2_conv3").outputShape[3] === 2048);
 * model.dispose();
 * ```
 */
export function resnet50(options: ModelOptions = {}): LayersModel {
  return buildModel("resnet50", options, { inputShape: [224, 224, 3], classes: 1000 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 64, 7, { strides: 2, pad: 3, useBias: false, activation: "linear" });
    x = b.relu(b.bn(x, "bn1"), "relu");
    x = b.maxPool(x, "maxpool", 3, 2, "valid", 1);
    const stages: readonly [number, number][] = [[64, 3], [128, 4], [256, 6], [512, 3]];
    stages.forEach(([width, blocks], s) => {
      for (let i = 0; i < blocks; i++) {
        const stride = s > 0 && i === 0 ? 2 : 1;
        x = bottleneck(b, x, `layer${s + 1}_${i}`, width, stride);
      }
    });
    x = b.gap(x, "avgpool");
    return b.dense(x, "fc", b.classes, "linear");
  });
}

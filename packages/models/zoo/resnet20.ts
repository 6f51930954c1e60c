/**
 * ResNet-20 for CIFAR-size inputs.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { type Builder, buildModel, type Sym } from "./_build.ts";
import type { ModelOptions } from "./model_options.ts";

function basicBlock(b: Builder, x: Sym, name: string, width: number, stride: number): Sym {
  const noBias = { useBias: false, activation: "linear" } as const;
  let y = stride === 1
    ? b.conv(x, `${name}_conv1`, width, 3, noBias)
    : b.conv(x, `${name}_conv1`, width, 3, { ...noBias, strides: stride, pad: 1 });
  y = b.relu(b.bn(y, `${name}_bn1`), `${name}_relu1`);
  y = b.bn(b.conv(y, `${name}_conv2`, width, 3, noBias), `${name}_bn2`);
  let shortcut = x;
  if (stride !== 1 || x.shape[3] !== width) {
    shortcut = b.conv(x, `${name}_downsample_conv`, width, 1, {
      ...noBias,
      strides: stride,
      padding: "valid",
    });
    shortcut = b.bn(shortcut, `${name}_downsample_bn`);
  }
  return b.relu(b.add([y, shortcut], `${name}_add`), `${name}_relu2`);
}

/**
 * ResNet-20 for CIFAR-size inputs (He et al. 2016, section 4.2): a 3x3x16 stem, three stages of
 * three basic blocks with 16, 32 and 64 channels (stride 2 at the start of stages 2 and 3),
 * global average pooling and `fc`. Shortcuts that change shape are 1x1 conv + batch norm
 * projections (option B), so the model is 272,474 parameters for 32x32x3 and 10 classes
 * (batch-norm running statistics not counted). Layer names: `conv1`, `layer1_0_conv1`,
 * `layer1_0_conv2`, ..., `layer3_2_conv2`, `layer2_0_downsample_conv`, `fc`.
 *
 * @param options Input shape (default `[32, 32, 3]`; `[28, 28, 1]` works too), classes
 *   (default 10), initialisation.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { resnet20 } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = resnet20({ inputShape: [28, 28, 1] });
 * assert(model.getLayer("layer3_2_conv2").outputShape[1] === 7);
 * model.dispose();
 * ```
 */
export function resnet20(options: ModelOptions = {}): LayersModel {
  return buildModel("resnet20", options, { inputShape: [32, 32, 3], classes: 10 }, (b) => {
    let x = b.input();
    x = b.conv(x, "conv1", 16, 3, { useBias: false, activation: "linear" });
    x = b.relu(b.bn(x, "bn1"), "relu");
    [16, 32, 64].forEach((width, s) => {
      for (let i = 0; i < 3; i++) {
        x = basicBlock(b, x, `layer${s + 1}_${i}`, width, s > 0 && i === 0 ? 2 : 1);
      }
    });
    x = b.gap(x, "avgpool");
    return b.dense(x, "fc", b.classes, "linear");
  });
}

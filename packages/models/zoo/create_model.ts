/**
 * Look up zoo models by name.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { ConfigError, PluginNotFoundError } from "@sparsegrain/core";
import { alexnet, alexnetCaffe } from "./alexnet.ts";
import { convnet } from "./convnet.ts";
import { densenet121 } from "./densenet121.ts";
import { googlenet } from "./googlenet.ts";
import { lenet5 } from "./lenet5.ts";
import type { ModelOptions } from "./model_options.ts";
import { resnet20 } from "./resnet20.ts";
import { resnet50 } from "./resnet50.ts";
import { smallCnn } from "./small_cnn.ts";
import { vgg16 } from "./vgg16.ts";

/** One entry of the model zoo. */
export interface ZooEntry {
  /** Name used by `createModel()` and configs. */
  readonly name: string;
  /** One sentence: what the network is. */
  readonly description: string;
  /** Default `[height, width, channels]`. */
  readonly inputShape: readonly [number, number, number];
  /** Default number of classes. */
  readonly classes: number;
  /** `"imagenet"` for the reference architectures (weight-free analysis), `"small"` for trainable ones. */
  readonly family: "imagenet" | "small";
  /** Options it accepts beyond {@link ModelOptions} (e.g. `dropout`, `lrn`). */
  readonly extraOptions: readonly string[];
  /** Builds the model. Architecture-specific options (e.g. `dropout`) pass through. */
  create(options?: ModelOptions): LayersModel;
}

/**
 * The model zoo, by name: the six ImageNet reference architectures of PAPER.md and the small
 * networks that train on real Fashion-MNIST on a CPU.
 */
export const MODEL_ZOO: Readonly<Record<string, ZooEntry>> = Object.freeze({
  "alexnet": {
    name: "alexnet",
    extraOptions: ["dropout"],
    description: "AlexNet, torchvision variant (64-192-384-256-256, no groups)",
    inputShape: [224, 224, 3],
    classes: 1000,
    family: "imagenet",
    create: alexnet,
  },
  "alexnet-caffe": {
    name: "alexnet-caffe",
    extraOptions: ["dropout", "lrn"],
    description: "AlexNet, Caffe BVLC (227 input, LRN, groups=2 in conv2/4/5)",
    inputShape: [227, 227, 3],
    classes: 1000,
    family: "imagenet",
    create: alexnetCaffe,
  },
  "vgg16": {
    name: "vgg16",
    extraOptions: ["dropout"],
    description: "VGG-16 (configuration D)",
    inputShape: [224, 224, 3],
    classes: 1000,
    family: "imagenet",
    create: vgg16,
  },
  "googlenet": {
    name: "googlenet",
    extraOptions: ["dropout", "lrn"],
    description: "GoogLeNet, Caffe BVLC (no auxiliary heads, no batch norm)",
    inputShape: [224, 224, 3],
    classes: 1000,
    family: "imagenet",
    create: googlenet,
  },
  "resnet50": {
    name: "resnet50",
    extraOptions: [],
    description: "ResNet-50 v1.5, torchvision",
    inputShape: [224, 224, 3],
    classes: 1000,
    family: "imagenet",
    create: resnet50,
  },
  "densenet121": {
    name: "densenet121",
    extraOptions: [],
    description: "DenseNet-121, torchvision",
    inputShape: [224, 224, 3],
    classes: 1000,
    family: "imagenet",
    create: densenet121,
  },
  "lenet5": {
    name: "lenet5",
    extraOptions: [],
    description: "LeNet-5 with ReLU and max pooling",
    inputShape: [28, 28, 1],
    classes: 10,
    family: "small",
    create: lenet5,
  },
  "convnet": {
    name: "convnet",
    extraOptions: ["dropout"],
    description: "VGG-style CNN with 5x5 and 3x3 convs for 28x28 images",
    inputShape: [28, 28, 1],
    classes: 10,
    family: "small",
    create: convnet,
  },
  "small-cnn": {
    name: "small-cnn",
    extraOptions: [],
    description: "The two-conv CNN of the PyTorch peer benchmark",
    inputShape: [28, 28, 1],
    classes: 10,
    family: "small",
    create: smallCnn,
  },
  "resnet20": {
    name: "resnet20",
    extraOptions: [],
    description: "ResNet-20 for CIFAR-size inputs (projection shortcuts)",
    inputShape: [32, 32, 3],
    classes: 10,
    family: "small",
    create: resnet20,
  },
});

const COMMON_OPTIONS: readonly string[] = ["inputShape", "classes", "init", "seed"];

/**
 * Names of every zoo model, in zoo order.
 *
 * @returns The names `createModel()` accepts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelNames } from "@sparsegrain/models";
 *
 * assert(modelNames().includes("vgg16"));
 * ```
 */
export function modelNames(): string[] {
  return Object.keys(MODEL_ZOO);
}

/**
 * Builds a zoo model by name.
 *
 * @param name A zoo name (see {@link modelNames}), e.g. `"convnet"` or `"alexnet-caffe"`.
 * @param options Input shape, classes, initialisation and seed, plus architecture options.
 * @returns An uncompiled tfjs-layers model; call `dispose()` when done.
 * @throws {PluginNotFoundError} When no model has that name; the message lists the known names.
 * @throws {ConfigError} When an option is unknown for that model or invalid, or the input is too
 *   small for the network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const model = createModel("convnet", { seed: 1 });
 * assert(model.getLayer("conv1").outputShape[3] === 32);
 * model.dispose();
 * ```
 */
export function createModel(
  name: string,
  options: ModelOptions & Readonly<Record<string, unknown>> = {},
): LayersModel {
  const entry = Object.hasOwn(MODEL_ZOO, name) ? MODEL_ZOO[name] : undefined;
  if (entry === undefined) throw new PluginNotFoundError("model", name, modelNames());
  const allowed = [...COMMON_OPTIONS, ...entry.extraOptions];
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && !allowed.includes(key)) {
      throw new ConfigError(
        key,
        `model "${name}" has no option "${key}": use one of ${
          allowed.map((k) => `"${k}"`).join(", ")
        }`,
      );
    }
  }
  return entry.create(options);
}

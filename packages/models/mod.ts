/**
 * Real networks for sparsegrain: a tfjs-layers model zoo (ImageNet architectures for
 * weight-free analysis, small networks trained on real Fashion-MNIST), the prunable-layer view
 * the pruning bridge works on, model summaries with grain counts, and model persistence.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { prunableLayers } from "@sparsegrain/models";
 *
 * const input = tf.input({ shape: [4] });
 * const out = tf.layers.dense({ name: "fc", units: 2 }).apply(input) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: out });
 * console.assert(prunableLayers(model)[0].name === "fc");
 * model.dispose();
 * ```
 *
 * @module
 */
export { prunableLayers } from "./layers.ts";
export type { Layer, LayersModel, LayerVariable, PrunableLayer } from "./layers.ts";
export { summarizeModel } from "./summary.ts";
export type { GrainCounts, LayerSummary, ModelSummary, SummaryOptions } from "./summary.ts";
export type { ModelOptions } from "./zoo/model_options.ts";
export { createModel, MODEL_ZOO, modelNames } from "./zoo/create_model.ts";
export type { ZooEntry } from "./zoo/create_model.ts";
export { alexnet, alexnetCaffe } from "./zoo/alexnet.ts";
export type { AlexNetOptions } from "./zoo/alexnet.ts";
export { vgg16 } from "./zoo/vgg16.ts";
export type { Vgg16Options } from "./zoo/vgg16.ts";
export { googlenet } from "./zoo/googlenet.ts";
export type { GoogLeNetOptions } from "./zoo/googlenet.ts";
export { resnet50 } from "./zoo/resnet50.ts";
export { densenet121 } from "./zoo/densenet121.ts";
export { lenet5 } from "./zoo/lenet5.ts";
export { convnet } from "./zoo/convnet.ts";
export type { ConvNetOptions } from "./zoo/convnet.ts";
export { smallCnn } from "./zoo/small_cnn.ts";
export { resnet20 } from "./zoo/resnet20.ts";

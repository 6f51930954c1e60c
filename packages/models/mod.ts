/**
 * Real networks for sparsegrain: a tfjs-layers model zoo (ImageNet architectures for
 * weight-free analysis, small networks trained on real Fashion-MNIST), the prunable-layer view
 * the pruning bridge works on, model summaries with grain counts, and model persistence.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { prunableLayers } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const input = tf.input({ shape: [4] });
 * const out = tf.layers.dense({ name: "fc", units: 2 }).apply(input) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: out });
 * assert(prunableLayers(model)[0].name === "fc");
 * model.dispose();
 * ```
 *
 * @module
 */
export { prunableLayers } from "./layers.ts";
export type { Layer, LayersModel, LayerVariable, PrunableLayer, SymbolicTensor } from "./layers.ts";
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
export { ModelFileError } from "./persistence/model_file_error.ts";
export { fileIOHandler, MODEL_JSON } from "./persistence/file_io_handler.ts";
export type { FileIOOptions, IOHandler } from "./persistence/file_io_handler.ts";
export { saveModel } from "./persistence/save_model.ts";
export type { SavedModel } from "./persistence/save_model.ts";
export { loadModel, loadWeights } from "./persistence/load_model.ts";
export { modelCache, modelCacheKey } from "./persistence/model_cache.ts";
export type { ModelCache, ModelCacheEntry, ModelCacheKeyInput } from "./persistence/model_cache.ts";
// Training backend and data (wasm kernels, IDX / Fashion-MNIST / CIFAR-10, batches).
export { setupWasmBackend, wasmBackendThreads } from "./backend/setup_wasm_backend.ts";
export type { WasmBackendOptions } from "./backend/setup_wasm_backend.ts";
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from "./backend/training_kernels.ts";
export { decodeIdx, encodeIdx, readIdx } from "./data/idx.ts";
export type { IdxArray, IdxData } from "./data/idx.ts";
export { selectImages } from "./data/image_set.ts";
export type { ImageSet } from "./data/image_set.ts";
export { shuffledIndices } from "./data/shuffle.ts";
export { splitImages, subsetImages } from "./data/split.ts";
export type { SplitOptions } from "./data/split.ts";
export { channelStatistics, imageBatches } from "./data/batches.ts";
export type { Augmentation, Batch, BatchOptions, Normalization } from "./data/batches.ts";
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  locateFashionMnist,
} from "./data/fashion_mnist.ts";
export type { FashionMnistOptions, ImageDataset } from "./data/fashion_mnist.ts";
export { CIFAR10_CLASSES, decodeCifar10Batch, loadCifar10 } from "./data/cifar10.ts";
export type { Cifar10Options } from "./data/cifar10.ts";
export { DATASET_NAMES, loadDataset } from "./data/load_dataset.ts";
export type { Tensor, Variable } from "./training/tensor_types.ts";
export type {
  ActivationDensity,
  ConvGeometry,
  LayerKind,
  LayerWeights,
  Mask,
  QuantizationReport,
} from "@sparsegrain/core";
export {
  applyMasks,
  extractLayerWeights,
  maskTensors,
  quantizeModelWeights,
  writeLayerWeights,
} from "./bridge.ts";
export type { QuantizedWeights, QuantizeOptions } from "./bridge.ts";
export { createOptimizer } from "./training/optimizer.ts";
export type {
  AdamSpec,
  MaskedOptimizer,
  OptimizerSpec,
  Parameter,
  SgdSpec,
} from "./training/optimizer.ts";
export { learningRateAt } from "./training/lr_schedule.ts";
export type { LrSchedule } from "./training/lr_schedule.ts";
export { evaluateModel } from "./training/evaluate.ts";
export type { EvaluateOptions, Evaluation } from "./training/evaluate.ts";
export { trainModel } from "./training/train.ts";
export { DEFAULT_TRAINING } from "./training/recipe.ts";
export type { EpochRecord, TrainOptions, TrainProgress, TrainResult } from "./training/train.ts";
export { measureActivationDensity } from "./training/activation_density.ts";
export type { ActivationDensityOptions, MeasuredDensity } from "./training/activation_density.ts";
export { evaluateQuantized } from "./training/quantized_evaluation.ts";
export type {
  QuantizedEvaluation,
  QuantizedEvaluationOptions,
} from "./training/quantized_evaluation.ts";

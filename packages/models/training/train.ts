/**
 * The training loop: minibatch softmax cross-entropy with a mask-holding optimiser, learning-rate
 * schedule, seeded shuffling and augmentation, optional validation after each epoch, and a
 * progress callback. Used both to train baselines and to fine-tune pruned networks.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, type Mask } from "@sparsegrain/core";
import { type Augmentation, imageBatches, type Normalization } from "../data/batches.ts";
import type { ImageSet } from "../data/image_set.ts";
import { applyMasks } from "../bridge.ts";
import { type LayersModel, prunableLayers } from "../layers.ts";
import { checkFits, imageTensor } from "./_batch_tensors.ts";
import { evaluateModel, type Evaluation } from "./evaluate.ts";
import { learningRateAt, type LrSchedule } from "./lr_schedule.ts";
import { createOptimizer, type OptimizerSpec, type Parameter } from "./optimizer.ts";

/** What the progress callback receives. */
export interface TrainProgress {
  /** `"batch"` every `progressEvery` batches, `"epoch"` after each epoch. */
  readonly kind: "batch" | "epoch";
  /** Epoch, from 1. */
  readonly epoch: number;
  /** Epochs in the run. */
  readonly epochs: number;
  /** Batches done in this epoch. */
  readonly batch: number;
  /** Batches per epoch. */
  readonly batches: number;
  /** Mean training loss over the epoch so far. */
  readonly loss: number;
  /** Training accuracy (top-1, training mode) over the epoch so far. */
  readonly accuracy: number;
  /** Learning rate of the last step. */
  readonly learningRate: number;
  /** Training throughput over the epoch so far. */
  readonly imagesPerSecond: number;
  /** Validation result (epoch events, when a validation set is given). */
  readonly validation?: Evaluation;
  /** Seconds since training started. */
  readonly elapsedSeconds: number;
}

/** Options of {@link trainModel}. */
export interface TrainOptions {
  /** Passes over the training set. */
  epochs: number;
  /** Images per step. @default 64 */
  batchSize?: number;
  /** Optimiser. @default { name: "adam" } */
  optimizer?: OptimizerSpec;
  /** Base learning rate. @default 1e-3 for Adam, 0.01 for SGD */
  learningRate?: number;
  /** Learning-rate schedule over the epochs. @default { name: "constant" } */
  schedule?: LrSchedule;
  /** Epochs of linear warm-up from a tenth of the rate. @default 0 */
  warmupEpochs?: number;
  /** Seed of the shuffling and augmentation (epoch `e` uses `seed + e`). @default 0 */
  seed?: number;
  /**
   * Pruning masks by layer name (1 keeps, 0 prunes). Masked weights are set to 0 before the
   * first step and stay exactly 0 after every step.
   */
  masks?: Readonly<Record<string, Mask>>;
  /** Normalisation of the inputs. @default pixels scaled to [0, 1] */
  normalization?: Normalization;
  /** Augmentation of the training batches. */
  augment?: Augmentation;
  /** Evaluated after each epoch when given. */
  validation?: ImageSet;
  /** Calls per epoch and every `progressEvery` batches. */
  progress?: (event: TrainProgress) => void;
  /** Batches between `"batch"` progress events. @default 50 */
  progressEvery?: number;
  /** Stops after the current batch when aborted (the result covers the batches done). */
  signal?: AbortSignal;
}

/** One epoch's record. */
export interface EpochRecord {
  /** Epoch, from 1. */
  readonly epoch: number;
  /** Mean training loss. */
  readonly loss: number;
  /** Training top-1 accuracy (training mode, on the augmented batches). */
  readonly accuracy: number;
  /** Learning rate at the end of the epoch. */
  readonly learningRate: number;
  /** Training wall time of the epoch (without validation). */
  readonly seconds: number;
  /** Training throughput. */
  readonly imagesPerSecond: number;
  /** Validation result, when a validation set was given. */
  readonly validation?: Evaluation;
}

/** What {@link trainModel} returns. */
export interface TrainResult {
  /** Per-epoch records. */
  readonly history: readonly EpochRecord[];
  /** Total wall time in seconds (training and validation). */
  readonly seconds: number;
  /** Training steps taken. */
  readonly steps: number;
  /** Whether `signal` stopped the run early. */
  readonly aborted: boolean;
}

function positiveInt(field: string, v: number, hint: string): number {
  if (!(Number.isInteger(v) && v >= 1)) {
    throw new ConfigError(field, `expected a positive integer, found ${v}: use ${hint}`);
  }
  return v;
}

/** Training parameters with their masks, in `model.trainableWeights` order. */
function parameters(model: LayersModel, masks: Readonly<Record<string, Mask>>): Parameter[] {
  const maskOf = new Map<tf.Variable, Mask>();
  for (const layer of prunableLayers(model)) {
    const m = masks[layer.name];
    if (m !== undefined) maskOf.set(layer.kernel.read() as tf.Variable, m);
  }
  return model.trainableWeights.map((w) => {
    const variable = w.read() as tf.Variable;
    const mask = maskOf.get(variable);
    return mask === undefined ? { variable } : { variable, mask };
  });
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains a classifier on an image set. With `masks`, fine-tunes a pruned network: pruned
 * weights are zeroed first and are exactly 0 after every step (gradients and optimiser state are
 * masked too). Every tensor it creates is disposed before it returns.
 *
 * @param model a classifier whose output is one logit per class
 * @param train the training images
 * @param options epochs, optimiser, schedule, masks, validation, progress
 * @returns per-epoch history and timing
 * @throws {ConfigError} for bad options or a model that does not fit the data
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setupWasmBackend, smallCnn, trainModel, type ImageSet } from "@sparsegrain/models";
 * await setupWasmBackend();
 * const set: ImageSet = { name: "tiny", images: new Uint8Array(8 * 784).map((_, i) => i % 251),
 *   labels: new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]), count: 8, height: 28, width: 28, channels: 1, classes: 10 };
 * const model = smallCnn({ seed: 1 });
 * const result = await trainModel(model, set, { epochs: 1, batchSize: 4 });
 * assert(result.steps === 2 && result.history.length === 1);
 * model.dispose();
 * ```
 */
export async function trainModel(
  model: LayersModel,
  train: ImageSet,
  options: TrainOptions,
): Promise<TrainResult> {
  const epochs = positiveInt("epochs", options.epochs, "e.g. 10");
  const batchSize = positiveInt("batchSize", options.batchSize ?? 64, "e.g. 64");
  const spec = options.optimizer ?? { name: "adam" };
  const baseLr = options.learningRate ?? (spec.name === "sgd" ? 0.01 : 1e-3);
  const schedule = options.schedule ?? { name: "constant" };
  const warmup = options.warmupEpochs ?? 0;
  const seed = options.seed ?? 0;
  const every = positiveInt("progressEvery", options.progressEvery ?? 50, "e.g. 50");
  checkFits(model, train);
  if (options.validation !== undefined) checkFits(model, options.validation);
  learningRateAt(schedule, baseLr, 0, epochs, warmup); // validates the schedule up front
  if (train.count === 0) {
    throw new ConfigError("dataset", `"${train.name}" is empty: train on at least one image`);
  }

  const masks = options.masks ?? {};
  // Validates the masks (names, lengths) and starts pruned weights at exactly +0.
  applyMasks(model, masks);
  const optimizer = createOptimizer(spec);
  const started = performance.now();
  const history: EpochRecord[] = [];
  const batches = Math.ceil(train.count / batchSize);
  let steps = 0;
  let aborted = false;
  try {
    const params = parameters(model, masks);
    const vars = params.map((p) => p.variable);
    for (let epoch = 1; epoch <= epochs && !aborted; epoch++) {
      const epochStart = performance.now();
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let done = 0;
      let lr = baseLr;
      for (
        const batch of imageBatches(train, {
          batchSize,
          shuffle: true,
          seed: seed + epoch,
          normalization: options.normalization,
          augment: options.augment,
        })
      ) {
        lr = learningRateAt(schedule, baseLr, epoch - 1 + done / batches, epochs, warmup);
        const [loss, hits] = tf.tidy(() => {
          const x = imageTensor(train, batch);
          const labels = tf.tensor1d(batch.labels, "int32");
          const y = tf.oneHot(labels, train.classes);
          let right: tf.Tensor | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const logits = model.apply(x, { training: true }) as tf.Tensor;
            // Kept past the forward scope that variableGrads disposes; freed below.
            right = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "int32")));
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          }, vars);
          optimizer.step(params, vars.map((v) => grads[v.name]), lr);
          const hit = right!.dataSync()[0];
          right!.dispose();
          return [value.dataSync()[0], hit];
        });
        steps++;
        done++;
        lossSum += loss * batch.size;
        correct += hits;
        seen += batch.size;
        if (options.progress !== undefined && done % every === 0 && done < batches) {
          const s = (performance.now() - epochStart) / 1000;
          options.progress({
            kind: "batch",
            epoch,
            epochs,
            batch: done,
            batches,
            loss: lossSum / seen,
            accuracy: correct / seen,
            learningRate: lr,
            imagesPerSecond: seen / s,
            elapsedSeconds: (performance.now() - started) / 1000,
          });
        }
        if (options.signal?.aborted) {
          aborted = true;
          break;
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const validation = options.validation === undefined ? undefined : evaluateModel(
        model,
        options.validation,
        { normalization: options.normalization },
      );
      const record: EpochRecord = {
        epoch,
        loss: lossSum / Math.max(seen, 1),
        accuracy: correct / Math.max(seen, 1),
        learningRate: lr,
        seconds,
        imagesPerSecond: seen / seconds,
        ...(validation === undefined ? {} : { validation }),
      };
      history.push(record);
      options.progress?.({
        kind: "epoch",
        epoch,
        epochs,
        batch: done,
        batches,
        loss: record.loss,
        accuracy: record.accuracy,
        learningRate: lr,
        imagesPerSecond: record.imagesPerSecond,
        ...(validation === undefined ? {} : { validation }),
        elapsedSeconds: (performance.now() - started) / 1000,
      });
      await tick();
    }
  } finally {
    optimizer.dispose();
  }
  return { history, seconds: (performance.now() - started) / 1000, steps, aborted };
}

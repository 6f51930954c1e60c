import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, seededRandom } from "@sparsegrain/core";
import { setupWasmBackend } from "../backend/setup_wasm_backend.ts";
import { extractLayerWeights } from "../bridge.ts";
import { channelStatistics } from "../data/batches.ts";
import {
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  locateFashionMnist,
} from "../data/fashion_mnist.ts";
import type { ImageSet } from "../data/image_set.ts";
import { subsetImages } from "../data/split.ts";
import { convnet } from "../zoo/convnet.ts";
import type { OptimizerSpec } from "./optimizer.ts";
import { evaluateModel } from "./evaluate.ts";
import { trainModel, type TrainProgress } from "./train.ts";

/** Generated noise images: enough to drive optimiser steps, not a stand-in for real data. */
function noise(count: number, seed: number): ImageSet {
  const r = seededRandom(seed);
  return {
    name: "noise",
    images: new Uint8Array(count * 784).map(() => Math.floor(r() * 256)),
    labels: new Uint8Array(count).map(() => Math.floor(r() * 10)),
    count,
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
  };
}

function randomMasks(model: tf.LayersModel, seed: number): Record<string, Uint8Array> {
  const r = seededRandom(seed);
  return Object.fromEntries(
    extractLayerWeights(model).map((
      l,
    ) => [l.name, new Uint8Array(l.values.length).map(() => (r() < 0.7 ? 0 : 1))]),
  );
}

const OPTIMIZERS: OptimizerSpec[] = [{ name: "sgd", momentum: 0.9 }, { name: "adam" }];

for (const optimizer of OPTIMIZERS) {
  Deno.test(`trainModel() with ${optimizer.name} holds masks bit-exactly after every step, memory flat`, async () => {
    await setupWasmBackend();
    const model = convnet({ seed: 11 });
    try {
      const masks = randomMasks(model, 5);
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const events: TrainProgress[] = [];
      const check = (e: TrainProgress) => {
        events.push(e);
        counts.push(tf.memory().numTensors, tf.memory().numBytes);
        for (const l of extractLayerWeights(model)) {
          const m = masks[l.name];
          for (let i = 0; i < m.length; i++) {
            if (m[i] === 0) {
              assert.ok(
                Object.is(l.values[i], 0),
                `${e.kind} ${e.batch}: ${l.name}[${i}] = ${l.values[i]}`,
              );
            }
          }
        }
      };
      const start = extractLayerWeights(model);
      const result = await trainModel(model, noise(48, 1), {
        epochs: 2,
        batchSize: 8,
        optimizer,
        learningRate: optimizer.name === "sgd" ? 0.05 : 1e-3,
        schedule: { name: "cosine" },
        masks,
        progress: check,
        progressEvery: 1,
      });
      assert.equal(result.steps, 12);
      assert.equal(events.filter((e) => e.kind === "epoch").length, 2);
      assert.equal(events.filter((e) => e.kind === "batch").length, 10);
      const tensors = counts.filter((_, i) => i % 2 === 0);
      const bytes = counts.filter((_, i) => i % 2 === 1);
      assert.ok(new Set(tensors).size === 1, `tensor count moved during training: ${tensors}`);
      assert.ok(new Set(bytes).size === 1, `tensor bytes moved during training: ${bytes}`);
      assert.equal(tf.memory().numTensors, before);
      const end = extractLayerWeights(model);
      // Kept weights moved.
      assert.ok(
        end.every((l, k) =>
          l.values.some((v, i) => masks[l.name][i] === 1 && v !== start[k].values[i])
        ),
      );
    } finally {
      model.dispose();
    }
  });
}

Deno.test("trainModel() rejects bad options before training", async () => {
  await setupWasmBackend();
  const model = convnet({ seed: 1 });
  try {
    await assert.rejects(trainModel(model, noise(4, 1), { epochs: 0 }), ConfigError);
    await assert.rejects(
      trainModel(model, noise(4, 1), { epochs: 1, batchSize: 2.5 }),
      ConfigError,
    );
    await assert.rejects(
      trainModel(model, { ...noise(4, 1), classes: 5 }, { epochs: 1 }),
      ConfigError,
    );
    await assert.rejects(
      trainModel(model, noise(4, 1), { epochs: 1, masks: { conv1: new Uint8Array(3) } }),
      /Layer "conv1" has a bad mask/,
    );
  } finally {
    model.dispose();
  }
});

let hasRealData = false;
try {
  locateFashionMnist(FASHION_MNIST_DEFAULT_DIR);
  hasRealData = true;
} catch {
  hasRealData = false;
}

Deno.test({
  name: hasRealData
    ? "convnet trained briefly on a real Fashion-MNIST subset scores far above chance"
    : `convnet on real Fashion-MNIST: skipped, ${FASHION_MNIST_DEFAULT_DIR} is missing (apt-get install -y dataset-fashion-mnist)`,
  ignore: !hasRealData,
  fn: async () => {
    await setupWasmBackend();
    const data = await loadFashionMnist({ dir: FASHION_MNIST_DEFAULT_DIR });
    const train = subsetImages(data.train, 3000, 1);
    const test = subsetImages(data.test, 2000, 2);
    const normalization = channelStatistics(data.train);
    const model = convnet({ seed: 7 });
    try {
      const result = await trainModel(model, train, {
        epochs: 2,
        batchSize: 64,
        optimizer: { name: "adam" },
        learningRate: 2e-3,
        normalization,
        seed: 3,
      });
      const e = evaluateModel(model, test, { normalization });
      assert.ok(e.top1 > 0.7, `top-1 ${e.top1} after ${result.seconds.toFixed(1)} s`);
      assert.ok(e.top5 > 0.95, `top-5 ${e.top5}`);
    } finally {
      model.dispose();
    }
  },
});

import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import { setupWasmBackend } from "../backend/setup_wasm_backend.ts";
import type { ImageSet } from "../data/image_set.ts";
import { evaluateModel } from "./evaluate.ts";

const BIAS = [0, 3, 1, 2, -1, 5, 4, -2, 0.5, 2.5];

/** A classifier whose logits are BIAS for every image. */
function constantModel(): tf.LayersModel {
  const input = tf.input({ shape: [2, 2, 1] });
  const flat = tf.layers.flatten().apply(input);
  const out = tf.layers.dense({ units: 10, kernelInitializer: "zeros", name: "fc" }).apply(
    flat,
  ) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: "constant" });
  tf.tidy(() => model.getLayer("fc").setWeights([tf.zeros([4, 10]), tf.tensor1d(BIAS)]));
  return model;
}

function set(labels: number[]): ImageSet {
  return {
    name: "fixed",
    images: new Uint8Array(labels.length * 4).map((_, i) => i * 13),
    labels: new Uint8Array(labels),
    count: labels.length,
    height: 2,
    width: 2,
    channels: 1,
    classes: 10,
  };
}

Deno.test("evaluateModel() scores top-1, top-5 and cross-entropy against a hand-computed answer", async () => {
  await setupWasmBackend();
  const model = constantModel();
  try {
    const before = tf.memory().numTensors;
    const labels = [5, 6, 1, 0, 7, 3, 9];
    const e = evaluateModel(model, set(labels), { batchSize: 3 });
    // Ranking of BIAS: 5, 6, 1, 9, 3 | 2, 8, 0, 4, 7
    assert.equal(e.count, 7);
    assert.equal(e.top1, 1 / 7);
    assert.equal(e.top5, 5 / 7);
    const lse = Math.log(BIAS.reduce((s, b) => s + Math.exp(b), 0));
    const loss = labels.reduce((s, l) => s + lse - BIAS[l], 0) / labels.length;
    assert.ok(Math.abs(e.loss - loss) < 1e-5, `${e.loss} vs ${loss}`);
    assert.equal(evaluateModel(model, set([6]), { topK: 1 }).top5, 0);
    assert.equal(evaluateModel(model, set([6]), { topK: 2 }).top5, 1);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    model.dispose();
  }
});

Deno.test("evaluateModel() rejects a set the model does not fit", async () => {
  await setupWasmBackend();
  const model = constantModel();
  try {
    const wrong: ImageSet = { ...set([1]), height: 1, width: 4 };
    assert.throws(() => evaluateModel(model, wrong), (e) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /takes inputs \[2, 2, 1\] but "fixed" holds 1x4x1 images/);
      return true;
    });
    assert.throws(
      () => evaluateModel(model, { ...set([1]), classes: 3 }),
      /has 10 outputs but "fixed" has 3 classes/,
    );
  } finally {
    model.dispose();
  }
});

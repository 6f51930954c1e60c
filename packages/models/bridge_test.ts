import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { LayerError, quantizeLinear } from "@sparsegrain/core";
import {
  applyMasks,
  extractLayerWeights,
  maskTensors,
  quantizeModelWeights,
  writeLayerWeights,
} from "./bridge.ts";
import { setupWasmBackend } from "./backend/setup_wasm_backend.ts";
import { convnet } from "./zoo/convnet.ts";

function randomMask(n: number, seed: number, keep = 0.4): Uint8Array {
  let s = seed;
  return new Uint8Array(n).map(() => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff < keep ? 1 : 0;
  });
}

Deno.test("extractLayerWeights() reads every prunable kernel with kind, shape and geometry", async () => {
  await setupWasmBackend();
  const model = convnet({ seed: 3 });
  try {
    const before = tf.memory().numTensors;
    const layers = extractLayerWeights(model);
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(layers.map((l) => l.name), ["conv1", "conv2", "conv3", "conv4", "fc5", "fc6"]);
    for (const l of layers) {
      assert.equal(l.values.length, l.shape.reduce((p, v) => p * v, 1));
      assert.equal(l.kind === "dense", l.geometry === undefined);
    }
    const conv1 = layers[0];
    assert.deepEqual(conv1.shape, [5, 5, 1, 32]);
    assert.equal(conv1.geometry?.inputHeight, 28);
    const variable = model.getLayer("conv1").getWeights()[0];
    assert.deepEqual(conv1.values, variable.dataSync());
    // A copy: changing it does not touch the model.
    conv1.values[0] += 1;
    assert.notEqual(model.getLayer("conv1").getWeights()[0].dataSync()[0], conv1.values[0]);
    assert.throws(() => extractLayerWeights(model, ["pool1"]), LayerError);
  } finally {
    model.dispose();
  }
});

Deno.test("applyMasks() zeroes exactly the pruned weights and writeLayerWeights() round-trips", async () => {
  await setupWasmBackend();
  const model = convnet({ seed: 4 });
  try {
    const before = tf.memory().numTensors;
    const original = extractLayerWeights(model);
    const masks = Object.fromEntries(
      original.map((l, i) => [l.name, randomMask(l.values.length, i + 1)]),
    );
    applyMasks(model, masks);
    const masked = extractLayerWeights(model);
    for (const [i, l] of masked.entries()) {
      const m = masks[l.name];
      for (let j = 0; j < l.values.length; j++) {
        assert.ok(
          m[j] === 0
            ? Object.is(l.values[j], 0) || l.values[j] === 0
            : l.values[j] === original[i].values[j],
          `${l.name}[${j}]`,
        );
      }
    }
    writeLayerWeights(model, original);
    assert.deepEqual(
      extractLayerWeights(model).map((l) => l.values),
      original.map((l) => l.values),
    );
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => applyMasks(model, { conv1: new Uint8Array(3) }), LayerError);
    assert.throws(
      () => writeLayerWeights(model, [{ name: "fc6", values: new Float32Array(2) }]),
      LayerError,
    );
    assert.throws(
      () => maskTensors(model, { nope: new Uint8Array(1) }),
      /Layer "nope" has a bad name/,
    );
  } finally {
    model.dispose();
  }
});

Deno.test("quantizeModelWeights() writes core's quantised values and restore() undoes it", async () => {
  await setupWasmBackend();
  const model = convnet({ seed: 5 });
  try {
    const before = tf.memory().numTensors;
    const original = extractLayerWeights(model);
    const mask = randomMask(original[2].values.length, 9, 0.5);
    const q = quantizeModelWeights(model, { bits: 8, masks: { conv3: mask } });
    const now = extractLayerWeights(model);
    const expected = quantizeLinear(original[2].values, mask, 8);
    assert.deepEqual(now[2].values, expected.values);
    assert.deepEqual(q.reports.conv3, expected.report);
    assert.equal(Object.keys(q.reports).length, 6);
    assert.ok(now[0].values.some((v, i) => v !== original[0].values[i]));
    q.restore();
    assert.deepEqual(
      extractLayerWeights(model).map((l) => l.values),
      original.map((l) => l.values),
    );
    assert.equal(tf.memory().numTensors, before);
  } finally {
    model.dispose();
  }
});

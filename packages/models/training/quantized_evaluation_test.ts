import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { quantizeLinear } from "@sparsegrain/core";
import { setupWasmBackend } from "../backend/setup_wasm_backend.ts";
import { extractLayerWeights, writeLayerWeights } from "../bridge.ts";
import type { ImageSet } from "../data/image_set.ts";
import { smallCnn } from "../zoo/small_cnn.ts";
import { evaluateModel } from "./evaluate.ts";
import { evaluateQuantized } from "./quantized_evaluation.ts";

Deno.test("evaluateQuantized() equals an evaluation with core-quantised kernels, then restores them", async () => {
  await setupWasmBackend();
  const model = smallCnn({ seed: 2 });
  const set: ImageSet = {
    name: "pattern",
    images: new Uint8Array(40 * 784).map((_, i) => (i * 2654435761) >>> 24),
    labels: new Uint8Array(40).map((_, i) => i % 10),
    count: 40,
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
  };
  try {
    const before = tf.memory().numTensors;
    const original = extractLayerWeights(model);
    const mask = new Uint8Array(original[1].values.length).map((_, i) => i % 3 === 0 ? 0 : 1);
    const q = evaluateQuantized(model, set, { bits: 3, masks: { conv2: mask } });
    assert.deepEqual(
      extractLayerWeights(model).map((l) => l.values),
      original.map((l) => l.values),
    );
    writeLayerWeights(
      model,
      original.map((l) => ({
        name: l.name,
        values: quantizeLinear(
          l.values,
          l.name === "conv2" ? mask : new Uint8Array(l.values.length).fill(1),
          3,
        ).values,
      })),
    );
    const manual = evaluateModel(model, set);
    assert.equal(q.top1, manual.top1);
    assert.equal(q.loss, manual.loss);
    assert.equal(q.bits, 3);
    assert.ok(q.quantization.fc1.maxAbsError > 0);
    writeLayerWeights(model, original);
    assert.equal(tf.memory().numTensors, before);
  } finally {
    model.dispose();
  }
});

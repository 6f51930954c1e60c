import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { setupWasmBackend } from "../backend/setup_wasm_backend.ts";
import type { ImageSet } from "../data/image_set.ts";
import { measureActivationDensity } from "./activation_density.ts";

/** conv c1 (1x1, out0 = x, out1 = -x, ReLU) -> flatten -> dense d1. */
function model(): tf.LayersModel {
  const input = tf.input({ shape: [2, 2, 1] });
  const c1 = tf.layers.conv2d({
    name: "c1",
    filters: 2,
    kernelSize: 1,
    useBias: false,
    activation: "relu",
  });
  const flat = tf.layers.flatten().apply(c1.apply(input));
  const out = tf.layers.dense({ name: "d1", units: 3 }).apply(flat) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  tf.tidy(() => c1.setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2])]));
  return m;
}

Deno.test("measureActivationDensity() counts non-zero layer inputs, overall and per channel", async () => {
  await setupWasmBackend();
  const m = model();
  try {
    // Three 2x2 images; zeros at 5 of 12 pixels.
    const pixels = [0, 9, 0, 200, 255, 1, 0, 7, 0, 0, 3, 4];
    const set: ImageSet = {
      name: "hand",
      images: new Uint8Array(pixels),
      labels: new Uint8Array([0, 1, 2]),
      count: 3,
      height: 2,
      width: 2,
      channels: 1,
      classes: 3,
    };
    const before = tf.memory().numTensors;
    const d = measureActivationDensity(m, set, { batchSize: 2 });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(d.c1.input, 7 / 12);
    assert.deepEqual([...d.c1.perChannel], [Math.fround(7 / 12)]);
    // d1 sees flatten([x, relu(-x)]) per pixel: channel 2k is non-zero where pixel k is, 2k+1 never.
    assert.equal(d.d1.input, 7 / 24);
    const expect = [0, 1, 2, 3].flatMap((k) => {
      const nz = [0, 1, 2].filter((i) => pixels[i * 4 + k] !== 0).length;
      return [Math.fround(nz / 3), 0];
    });
    assert.deepEqual([...d.d1.perChannel], expect);
    assert.deepEqual(Object.keys(measureActivationDensity(m, set, { layers: ["d1"] })), ["d1"]);
  } finally {
    m.dispose();
  }
});

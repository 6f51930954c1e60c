import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import { summarizeModel } from "./summary.ts";
import { convnet } from "./zoo/convnet.ts";
import { resnet20 } from "./zoo/resnet20.ts";

Deno.test("summarizeModel() of convnet: shapes, MACs and grains per layer by hand", () => {
  const before = tf.memory().numTensors;
  const model = convnet({ init: "zeros" });
  const s = summarizeModel(model);
  model.dispose();
  assert.equal(s.model, "convnet");
  assert.deepEqual(s.inputShape, [28, 28, 1]);
  assert.equal(s.params, 468_330);
  assert.equal(s.weights, 800 + 9216 + 18432 + 36864 + 401408 + 1280);
  const rows = s.layers.map((l) => [l.name, l.kind, l.params, l.bias, l.macs, l.grains]);
  assert.deepEqual(rows, [
    ["conv1", "conv2d", 800, 32, 28 * 28 * 800, { "0d": 800, "1d": 160, "2d": 32, "3d": 32 }],
    ["conv2", "conv2d", 9216, 32, 14 * 14 * 9216, {
      "0d": 9216,
      "1d": 3072,
      "2d": 1024,
      "3d": 32,
    }],
    ["conv3", "conv2d", 18432, 64, 14 * 14 * 18432, {
      "0d": 18432,
      "1d": 6144,
      "2d": 2048,
      "3d": 64,
    }],
    ["conv4", "conv2d", 36864, 64, 7 * 7 * 36864, {
      "0d": 36864,
      "1d": 12288,
      "2d": 4096,
      "3d": 64,
    }],
    // Dense layers count as 1x1 convs: 0-D = 1-D = 2-D = in*out, 3-D = out.
    ["fc5", "dense", 401408, 128, 401408, {
      "0d": 401408,
      "1d": 401408,
      "2d": 401408,
      "3d": 128,
    }],
    ["fc6", "dense", 1280, 10, 1280, { "0d": 1280, "1d": 1280, "2d": 1280, "3d": 10 }],
  ]);
  assert.equal(s.macs, 8_255_232);
  assert.equal(s.layers[0].geometry?.padding, "same");
  assert.equal(s.layers[4].geometry, undefined);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("summarizeModel() leaves batch-norm running statistics out of params", () => {
  const model = resnet20({ init: "zeros" });
  const all = model.countParams();
  const s = summarizeModel(model);
  const bnChannels = model.layers
    .filter((l) => l.getClassName() === "BatchNormalization")
    .reduce((n, l) => n + (l.outputShape as number[])[3], 0);
  assert.equal(s.params, all - 2 * bnChannels);
  model.dispose();
});

Deno.test("summarizeModel() counts depthwise grains per output channel and dense positions", () => {
  const input = tf.input({ shape: [6, 6, 4] });
  const dw = tf.layers.depthwiseConv2d({ name: "dw", kernelSize: 3, depthMultiplier: 2 })
    .apply(input) as tf.SymbolicTensor;
  const fc = tf.layers.dense({ name: "fc", units: 5, useBias: false }).apply(
    dw,
  ) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: fc, name: "probe" });
  const s = summarizeModel(model, { name: "renamed" });
  assert.equal(s.model, "renamed");
  assert.deepEqual(s.layers[0].grains, { "0d": 72, "1d": 24, "2d": 8, "3d": 8 });
  assert.equal(s.layers[0].macs, 4 * 4 * 72);
  // A dense layer applied at every one of the 4x4 positions.
  assert.equal(s.layers[1].macs, 16 * 8 * 5);
  assert.equal(s.layers[1].bias, 0);
  model.dispose();
});

Deno.test("summarizeModel() rejects an inputShape the model was not built for", () => {
  const model = convnet({ init: "zeros" });
  assert.doesNotThrow(() => summarizeModel(model, { inputShape: [28, 28, 1] }));
  assert.throws(
    () => summarizeModel(model, { inputShape: [32, 32, 3] }),
    (e: unknown) =>
      e instanceof ConfigError && e.message.includes("[28,28,1]") && e.message.includes("rebuild"),
  );
  model.dispose();
});

import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { alexnet, alexnetCaffe } from "./alexnet.ts";
import { checkReference, weightShare } from "./_reference_test_util.ts";
import { prunableLayers } from "../layers.ts";

Deno.test("alexnet() has torchvision's 61,100,840 parameters and 714.2 M MACs", () => {
  const s = checkReference(() => alexnet({ init: "zeros" }), 61_100_840, 714.2e6);
  assert.deepEqual(s.layers.map((l) => l.name), [
    "conv1",
    "conv2",
    "conv3",
    "conv4",
    "conv5",
    "fc6",
    "fc7",
    "fc8",
  ]);
  assert.equal(s.layers[0].geometry?.outputHeight, 55);
  assert.deepEqual(s.layers[5].shape, [9216, 4096]);
});

Deno.test("alexnetCaffe() matches BVLC: 60,965,224 parameters, 724.4 M MACs, PAPER.md's grains", () => {
  const s = checkReference(() => alexnetCaffe({ init: "zeros" }), 60_965_224, 724.4e6);
  const convs = s.layers.slice(0, 5);
  assert.deepEqual(convs.map((l) => l.params), [34_848, 307_200, 884_736, 663_552, 442_368]);
  assert.deepEqual(convs.map((l) => l.grains["1d"]), [3_168, 61_440, 294_912, 221_184, 147_456]);
  assert.deepEqual(convs.map((l) => l.grains["2d"]), [288, 12_288, 98_304, 73_728, 49_152]);
  assert.deepEqual(convs.map((l) => l.grains["3d"]), [96, 256, 384, 384, 256]);
  assert.deepEqual(convs.map((l) => l.geometry?.groups), [1, 2, 1, 2, 2]);
  assert.deepEqual(convs.map((l) => l.geometry?.outputHeight), [55, 27, 13, 13, 13]);
  assert.deepEqual(s.layers[1].shape, [5, 5, 48, 256]);
  assert.deepEqual(s.layers.slice(5).map((l) => l.shape), [[9216, 4096], [4096, 4096], [
    4096,
    1000,
  ]]);
  // PAPER.md: FC layers hold 96.2% of the weights and 8.1% of the MACs.
  assert.equal(weightShare(s, (l) => l.kind === "dense").toFixed(1), "96.2");
  assert.equal(weightShare(s, (l) => l.kind === "dense", "macs").toFixed(1), "8.1");
});

Deno.test("alexnetCaffe() runs forward at a small input with both towers, without leaks", () => {
  const before = tf.memory().numTensors;
  const model = alexnetCaffe({ inputShape: [67, 67, 3], classes: 5, seed: 3 });
  const [, conv2] = prunableLayers(model);
  assert.deepEqual(conv2.kernel.shape, [5, 5, 48, 256]);
  const out = tf.tidy(() => {
    const y = model.predict(tf.randomNormal([2, 67, 67, 3], 0, 1, "float32", 1)) as tf.Tensor;
    return { shape: y.shape, finite: tf.all(tf.isFinite(y)).dataSync()[0] };
  });
  assert.deepEqual(out.shape, [2, 5]);
  assert.equal(out.finite, 1);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

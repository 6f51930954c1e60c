/**
 * Test helper for the trainable zoo networks: a forward pass and one gradient step on random
 * inputs, checking shapes, finiteness, that every trainable variable gets a gradient, and leaks.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { LayersModel } from "../layers.ts";

/** Runs `model` forward and backward on a random batch of `batch` images. */
export function checkTrains(model: LayersModel, batch = 2): void {
  const before = tf.memory().numTensors;
  const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  tf.tidy(() => {
    const x = tf.randomNormal([batch, h, w, c], 0, 1, "float32", 11);
    const y = tf.oneHot(
      tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), "int32"),
      classes,
    );
    const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy(
          y,
          model.apply(x, { training: true }) as tf.Tensor,
        ) as tf.Scalar,
      vars,
    );
    assert.ok(Number.isFinite(value.dataSync()[0]));
    assert.equal(Object.keys(grads).length, vars.length);
    for (const [name, g] of Object.entries(grads)) {
      assert.ok(tf.all(tf.isFinite(g)).dataSync()[0] === 1, `gradient of ${name} is finite`);
    }
    const out = model.predict(x) as tf.Tensor;
    assert.deepEqual(out.shape, [batch, classes]);
  });
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
}

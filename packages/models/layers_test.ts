import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { prunableLayers } from "./layers.ts";
import { GroupedConv2D } from "./zoo/_grouped_conv2d.ts";

function sym(
  x: tf.SymbolicTensor | tf.SymbolicTensor[] | tf.Tensor | tf.Tensor[],
): tf.SymbolicTensor {
  return x as tf.SymbolicTensor;
}

Deno.test("prunableLayers() lists conv, depthwise and dense layers with their geometry", () => {
  const before = tf.memory().numTensors;
  const input = tf.input({ shape: [17, 12, 3] });
  let y = sym(
    tf.layers.conv2d({ name: "c1", filters: 8, kernelSize: [5, 3], strides: 2, padding: "same" })
      .apply(input),
  );
  y = sym(tf.layers.maxPooling2d({ poolSize: 2 }).apply(y));
  y = sym(
    tf.layers.depthwiseConv2d({ name: "dw", kernelSize: 3, depthMultiplier: 2, padding: "valid" })
      .apply(y),
  );
  y = sym(
    tf.layers.conv2d({ name: "c2", filters: 4, kernelSize: 2, dilationRate: 2, padding: "valid" })
      .apply(sym(tf.layers.zeroPadding2d({ padding: 2 }).apply(y))),
  );
  y = sym(tf.layers.flatten().apply(y));
  y = sym(tf.layers.dense({ name: "fc", units: 3 }).apply(y));
  const model = tf.model({ inputs: input, outputs: y });
  const layers = prunableLayers(model);
  assert.deepEqual(layers.map((l) => [l.name, l.kind, l.shape.join("x")]), [
    ["c1", "conv2d", "5x3x3x8"],
    ["dw", "depthwise", "3x3x8x2"],
    ["c2", "conv2d", "2x2x16x4"],
    ["fc", "dense", "48x3"],
  ]);
  assert.deepEqual(layers[0].geometry, {
    inputHeight: 17,
    inputWidth: 12,
    outputHeight: 9,
    outputWidth: 6,
    strides: [2, 2],
    dilation: [1, 1],
    padding: "same",
    groups: 1,
  });
  assert.deepEqual(layers[1].geometry, {
    inputHeight: 4,
    inputWidth: 3,
    outputHeight: 2,
    outputWidth: 1,
    strides: [1, 1],
    dilation: [1, 1],
    padding: "valid",
    groups: 8,
  });
  // Behind ZeroPadding2D(2): input 6x5, dilated 2x2 kernel spans 3, valid -> 4x3.
  assert.deepEqual(layers[2].geometry?.dilation, [2, 2]);
  assert.equal(layers[2].geometry?.inputHeight, 6);
  assert.equal(layers[2].geometry?.outputHeight, 4);
  assert.equal(layers[2].geometry?.outputWidth, 3);
  // c2 reads the depthwise output, not the zero-padded copy of it.
  assert.equal(layers[2].input, model.getLayer("dw").output);
  assert.deepEqual(layers[2].input.shape, [null, 2, 1, 16]);
  assert.equal(layers[0].input, input);
  assert.equal(layers[3].input, model.getLayer("fc").input);
  assert.equal(layers[3].geometry, undefined);
  assert.equal(layers[3].positions, 1);
  for (const l of layers) assert.deepEqual(l.kernel.shape, l.shape);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("prunableLayers() exposes a grouped conv as one logical layer that matches per-group convs", () => {
  const before = tf.memory().numTensors;
  const input = tf.input({ shape: [7, 7, 6] });
  const layer = new GroupedConv2D({
    name: "g",
    filters: 4,
    kernelSize: 3,
    groups: 2,
    padding: "same",
    activation: "relu",
  });
  const model = tf.model({ inputs: input, outputs: sym(layer.apply(input)) });
  const [g] = prunableLayers(model);
  assert.equal(g.name, "g");
  assert.deepEqual(g.shape, [3, 3, 3, 4]);
  assert.equal(g.geometry?.groups, 2);
  assert.equal(g.geometry?.outputHeight, 7);

  tf.tidy(() => {
    const kernel = tf.randomNormal([3, 3, 3, 4], 0, 1, "float32", 7);
    const bias = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    g.kernel.write(kernel);
    layer.weights[1].write(bias);
    const x = tf.randomNormal([2, 7, 7, 6], 0, 1, "float32", 8) as tf.Tensor4D;
    const got = model.predict(x) as tf.Tensor;
    // Group 0: inputs 0..2 -> outputs 0..1; group 1: inputs 3..5 -> outputs 2..3.
    const k = kernel as tf.Tensor4D;
    const y0 = tf.conv2d(
      x.slice([0, 0, 0, 0], [-1, -1, -1, 3]),
      k.slice([0, 0, 0, 0], [-1, -1, -1, 2]),
      1,
      "same",
    );
    const y1 = tf.conv2d(
      x.slice([0, 0, 0, 3], [-1, -1, -1, 3]),
      k.slice([0, 0, 0, 2], [-1, -1, -1, 2]),
      1,
      "same",
    );
    const want = tf.relu(tf.add(tf.concat([y0, y1], 3), bias));
    const diff = tf.max(tf.abs(tf.sub(got, want))).dataSync()[0];
    assert.ok(diff < 1e-5, `max difference ${diff}`);
  });
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("a grouped conv trains: gradients reach both group kernels", () => {
  const before = tf.memory().numTensors;
  const input = tf.input({ shape: [5, 5, 4] });
  const layer = new GroupedConv2D({ name: "g", filters: 4, kernelSize: 3, groups: 2 });
  const model = tf.model({ inputs: input, outputs: sym(layer.apply(input)) });
  const [g] = prunableLayers(model);
  const { value, grads } = tf.variableGrads(
    () =>
      tf.tidy(() =>
        tf.sum(tf.square(model.apply(tf.ones([1, 5, 5, 4])) as tf.Tensor)) as tf.Scalar
      ),
    [g.kernel.read() as tf.Variable],
  );
  const grad = Object.values(grads)[0];
  assert.deepEqual(grad.shape, [3, 3, 2, 4]);
  const perOutput = tf.tidy(() => tf.sum(tf.abs(grad), [0, 1, 2]).arraySync() as number[]);
  assert.ok(perOutput.every((v) => v > 0), `gradient per output ${perOutput}`);
  tf.dispose([value, grads]);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("prunableLayers() searches nested models", () => {
  const before = tf.memory().numTensors;
  const inner = tf.sequential({
    name: "inner",
    layers: [tf.layers.dense({ name: "inner_fc", units: 3, inputShape: [4] })],
  });
  const input = tf.input({ shape: [4] });
  const y = sym(tf.layers.dense({ name: "outer_fc", units: 2 }).apply(sym(inner.apply(input))));
  const model = tf.model({ inputs: input, outputs: y });
  assert.deepEqual(prunableLayers(model).map((l) => l.name), ["inner_fc", "outer_fc"]);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

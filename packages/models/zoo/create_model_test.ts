import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, PluginNotFoundError } from "@sparsegrain/core";
import { createModel, MODEL_ZOO, modelNames } from "./create_model.ts";

Deno.test("modelNames() lists the six ImageNet and four small networks", () => {
  assert.deepEqual(modelNames(), [
    "alexnet",
    "alexnet-caffe",
    "vgg16",
    "googlenet",
    "resnet50",
    "densenet121",
    "lenet5",
    "convnet",
    "small-cnn",
    "resnet20",
  ]);
  for (const name of modelNames()) assert.equal(MODEL_ZOO[name].name, name);
});

Deno.test("createModel() builds each small model at its default input and classes", () => {
  for (const entry of Object.values(MODEL_ZOO).filter((e) => e.family === "small")) {
    const model = createModel(entry.name, { init: "zeros" });
    assert.deepEqual(model.inputs[0].shape.slice(1), [...entry.inputShape]);
    assert.deepEqual(model.outputs[0].shape, [null, entry.classes]);
    model.dispose();
  }
});

Deno.test("createModel() passes classes, inputShape and architecture options through", () => {
  const model = createModel("convnet", { classes: 3, inputShape: [32, 32, 3], dropout: 0 });
  assert.deepEqual(model.outputs[0].shape, [null, 3]);
  assert.deepEqual(model.getLayer("conv1").getWeights()[0].shape, [5, 5, 3, 32]);
  assert.ok(!model.layers.some((l) => l.getClassName() === "Dropout"));
  model.dispose();
});

Deno.test("createModel() names the known models when the name is unknown", () => {
  assert.throws(
    () => createModel("vgg19"),
    (e: unknown) =>
      e instanceof PluginNotFoundError &&
      e.message.startsWith('Unknown model "vgg19": use one of') &&
      e.message.includes('"alexnet-caffe"') && e.message.includes('"resnet20"'),
  );
  assert.throws(() => createModel("toString"), PluginNotFoundError);
});

Deno.test("createModel() rejects bad options with a ConfigError and leaks nothing", () => {
  const before = tf.memory().numTensors;
  assert.throws(() => createModel("lenet5", { inputShape: [28, 28] }), ConfigError);
  assert.throws(() => createModel("lenet5", { classes: 0 }), ConfigError);
  assert.throws(
    () => createModel("lenet5", { init: "ones" as "zeros" }),
    (e: unknown) => e instanceof ConfigError && e.field === "init",
  );
  assert.throws(
    () => createModel("lenet5", { dropout: 0.5 }),
    (e: unknown) =>
      e instanceof ConfigError && e.field === "dropout" &&
      e.message.includes('model "lenet5" has no option "dropout": use one of "inputShape"'),
  );
  assert.throws(() => createModel("convnet", { dropuot: 0.5 }), /has no option "dropuot"/);
  assert.throws(
    () => createModel("convnet", { dropout: 1 }),
    (e: unknown) => e instanceof ConfigError && e.field === "dropout",
  );
  // Too small for AlexNet's 11x11/4 stem and three pools.
  assert.throws(
    () => createModel("alexnet-caffe", { inputShape: [20, 20, 3], init: "zeros" }),
    (e: unknown) =>
      e instanceof ConfigError && e.field === "inputShape" && e.message.includes("227"),
  );
  assert.equal(tf.memory().numTensors, before);
});

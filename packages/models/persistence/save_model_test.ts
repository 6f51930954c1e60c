import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { saveModel } from "./save_model.ts";
import { loadModel } from "./load_model.ts";
import { fileIOHandler } from "./file_io_handler.ts";
import { ModelFileError } from "./model_file_error.ts";
import { createModel } from "../zoo/create_model.ts";
import { GroupedConv2D } from "../zoo/_grouped_conv2d.ts";
import { LocalResponseNorm } from "../zoo/_lrn.ts";
import { assertSameWeights, listDir, withTempDir } from "./_test_util.ts";

Deno.test("saveModel() + loadModel() round-trip convnet: identical weights and predictions", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const model = createModel("convnet", { seed: 3 });
    const dir = `${root}/nested/convnet`;
    const saved = await saveModel(model, dir, { shardBytes: 500_000 });
    assert.equal(saved.weightBytes, 468_330 * 4);
    const files = await listDir(dir);
    assert.deepEqual(files, [
      "group1-shard1of4.bin",
      "group1-shard2of4.bin",
      "group1-shard3of4.bin",
      "group1-shard4of4.bin",
      "model.json",
    ]);
    assert.deepEqual(await listDir(`${root}/nested`), ["convnet"]); // no temporary folder left
    const json = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
    assert.equal(json.format, "layers-model");
    assert.equal(json.weightsManifest[0].paths.length, 4);

    const loaded = await loadModel(dir);
    assertSameWeights(model, loaded);
    tf.tidy(() => {
      const x = tf.randomNormal([3, 28, 28, 1], 0, 1, "float32", 9);
      const p = (model.predict(x) as tf.Tensor).dataSync();
      const q = (loaded.predict(x) as tf.Tensor).dataSync();
      assert.deepEqual(q, p);
    });
    model.dispose();
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("saveModel() round-trips grouped convs, LRN and batch-norm statistics", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    // A tiny net with the zoo's custom layers, for exact predictions.
    const input = tf.input({ shape: [9, 9, 4] });
    let x = new GroupedConv2D({
      name: "g",
      filters: 6,
      kernelSize: 3,
      groups: 2,
      activation: "relu",
    })
      .apply(input) as tf.SymbolicTensor;
    x = new LocalResponseNorm({ name: "lrn" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: "bn" }).apply(x) as tf.SymbolicTensor;
    const tiny = tf.model({ inputs: input, outputs: x, name: "tiny" });
    // Non-trivial running statistics.
    for (const w of tiny.weights.filter((w) => w.originalName.includes("moving"))) {
      tf.tidy(() => {
        w.write(tf.randomUniform(w.shape as number[], 0.5, 2, "float32", 2));
      });
    }
    const zoo = createModel("resnet20", { inputShape: [16, 16, 3], classes: 4, seed: 1 });
    for (const [name, model] of [["tiny", tiny], ["resnet20", zoo]] as const) {
      await saveModel(model, `${root}/${name}`);
      const loaded = await loadModel(`${root}/${name}`);
      assert.deepEqual(
        loaded.layers.map((l) => l.getClassName()),
        model.layers.map((l) => l.getClassName()),
      );
      assertSameWeights(model, loaded);
      tf.tidy(() => {
        const shape = model.inputs[0].shape.slice(1) as number[];
        const x = tf.randomNormal([2, ...shape], 0, 1, "float32", 4);
        assert.deepEqual(
          (loaded.predict(x) as tf.Tensor).dataSync(),
          (model.predict(x) as tf.Tensor).dataSync(),
        );
      });
      loaded.dispose();
      model.dispose();
    }
    // The zoo's Caffe AlexNet (grouped convs, LRN) rebuilds from its saved topology.
    const caffe = createModel("alexnet-caffe", { inputShape: [67, 67, 3], init: "zeros" });
    await saveModel(caffe, `${root}/caffe`);
    const loaded = await loadModel(`${root}/caffe`);
    assert.deepEqual(loaded.getLayer("conv4").getConfig().groups, 2);
    assert.equal(loaded.getLayer("norm2").getClassName(), "LocalResponseNorm");
    assert.equal(loaded.countParams(), caffe.countParams());
    caffe.dispose();
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("saveModel() replaces an older save only when the new one is complete", async () => {
  await withTempDir(async (root) => {
    const dir = `${root}/m`;
    const first = createModel("lenet5", { seed: 1 });
    const second = createModel("lenet5", { seed: 2 });
    await saveModel(first, dir);
    await saveModel(second, dir);
    assert.deepEqual(await listDir(root), ["m"]);
    const loaded = await loadModel(dir);
    assertSameWeights(second, loaded);
    loaded.dispose();

    // A save that fails after writing its shards (manifest cannot be serialised) leaves the
    // previous save untouched and no temporary folder behind.
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => {
      first.save(tf.io.withSaveHandler((a) => {
        resolve(a);
        return Promise.resolve({
          modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
        });
      }));
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(
      fileIOHandler(dir).save!({ ...artifacts, userDefinedMetadata: cyclic as never }),
      ModelFileError,
    );
    assert.deepEqual(await listDir(root), ["m"]);
    const still = await loadModel(dir);
    assertSameWeights(second, still);
    still.dispose();
    first.dispose();
    second.dispose();
  });
});

Deno.test("saveModel() refuses a path that is a file", async () => {
  await withTempDir(async (root) => {
    await Deno.writeTextFile(`${root}/taken`, "x");
    const model = createModel("lenet5", { init: "zeros" });
    await assert.rejects(
      saveModel(model, `${root}/taken`),
      (e: unknown) => e instanceof ModelFileError && e.message.includes("is a file"),
    );
    assert.deepEqual(await listDir(root), ["taken"]);
    model.dispose();
  });
});

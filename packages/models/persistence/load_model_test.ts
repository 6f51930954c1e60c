import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { loadModel, loadWeights } from "./load_model.ts";
import { saveModel } from "./save_model.ts";
import { ModelFileError } from "./model_file_error.ts";
import { createModel } from "../zoo/create_model.ts";
import { assertSameWeights, withTempDir } from "./_test_util.ts";

async function savedConvnet(root: string, shardBytes = 400_000): Promise<string> {
  const model = createModel("convnet", { seed: 1 });
  await saveModel(model, `${root}/convnet`, { shardBytes });
  model.dispose();
  return `${root}/convnet`;
}

Deno.test("loadModel() names the folder when model.json is missing", async () => {
  await withTempDir(async (root) => {
    await assert.rejects(
      loadModel(`${root}/nothing`),
      (e: unknown) =>
        e instanceof ModelFileError && e.path === `${root}/nothing` &&
        e.message === `Cannot load model "${root}/nothing": model.json is missing: point to the ` +
            "folder saveModel() wrote, or save the model first",
    );
  });
});

Deno.test("loadModel() reports a missing weights shard by name", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const dir = await savedConvnet(root);
    await Deno.remove(`${dir}/group1-shard3of5.bin`);
    await assert.rejects(
      loadModel(dir),
      (e: unknown) =>
        e instanceof ModelFileError && e.message.includes('"group1-shard3of5.bin"') &&
        e.message.includes("is missing"),
    );
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("loadModel() reports a truncated shard and a malformed model.json", async () => {
  await withTempDir(async (root) => {
    const dir = await savedConvnet(root);
    const shard = await Deno.readFile(`${dir}/group1-shard5of5.bin`);
    await Deno.writeFile(`${dir}/group1-shard5of5.bin`, shard.subarray(0, shard.length - 4));
    await assert.rejects(
      loadModel(dir),
      (e: unknown) => e instanceof ModelFileError && e.message.includes("truncated"),
    );
    await Deno.writeTextFile(`${dir}/model.json`, "{ not json");
    await assert.rejects(
      loadModel(dir),
      (e: unknown) => e instanceof ModelFileError && e.message.includes("not valid JSON"),
    );
    await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify({ weightsManifest: [] }));
    await assert.rejects(loadModel(dir), /has no modelTopology or weightsManifest/);
  });
});

Deno.test("loadModel() refuses shard paths outside the folder", async () => {
  await withTempDir(async (root) => {
    const dir = await savedConvnet(root, 4_000_000);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
    json.weightsManifest[0].paths = ["../group1-shard1of1.bin"];
    await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify(json));
    await assert.rejects(loadModel(dir), /outside the folder/);
  });
});

Deno.test("loadModel() reports weights that do not match the saved topology", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const dir = await savedConvnet(root, 4_000_000);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
    // Same byte count, wrong shape: conv2's kernel declared as [9, 32, 32, 1].
    const spec = json.weightsManifest[0].weights.find((w: { name: string }) =>
      w.name === "conv2/kernel"
    );
    spec.shape = [9, 32, 32, 1];
    await Deno.writeTextFile(`${dir}/model.json`, JSON.stringify(json));
    await assert.rejects(
      loadModel(dir),
      (e: unknown) =>
        e instanceof ModelFileError && e.message.includes("do not match the saved topology") &&
        e.message.includes('"conv2/kernel" is [9, 32, 32, 1] in the folder but [3, 3, 32, 32]'),
    );
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("loadWeights() fills a zoo model and rejects another architecture's weights", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const source = createModel("convnet", { seed: 4 });
    await saveModel(source, `${root}/c10`);
    const target = createModel("convnet", { init: "zeros" });
    await loadWeights(target, `${root}/c10`);
    assertSameWeights(source, target);

    const five = createModel("convnet", { classes: 5, init: "zeros" });
    await assert.rejects(
      loadWeights(five, `${root}/c10`),
      (e: unknown) =>
        e instanceof ModelFileError &&
        e.message.includes('"fc6/kernel" is [128, 10] in the folder but [128, 5] in the model') &&
        e.message.includes("build the model with the architecture"),
    );
    // Nothing was written: fc5 is still all zeros.
    assert.equal(
      tf.tidy(() => tf.max(tf.abs(five.getLayer("fc5").getWeights()[0])).dataSync()[0]),
      0,
    );

    const lenet = createModel("lenet5", { init: "zeros" });
    await assert.rejects(loadWeights(lenet, `${root}/c10`), /"conv1\/kernel" is \[5, 5, 1, 32\]/);
    for (const m of [source, target, five, lenet]) m.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { fileIOHandler, MODEL_JSON } from "./file_io_handler.ts";
import { createModel } from "../zoo/create_model.ts";
import { assertSameWeights, listDir, withTempDir } from "./_test_util.ts";

Deno.test("fileIOHandler() works with model.save() and tf.loadLayersModel()", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const model = createModel("small-cnn", { seed: 2 });
    const result = await model.save(fileIOHandler(root + "/m/", { shardBytes: 300_000 }));
    assert.equal(result.modelArtifactsInfo.weightDataBytes, 225_034 * 4);
    // ceil(900,136 / 300,000) = 4 shards, the last one short.
    const files = await listDir(`${root}/m`);
    assert.deepEqual(files, [
      "group1-shard1of4.bin",
      "group1-shard2of4.bin",
      "group1-shard3of4.bin",
      "group1-shard4of4.bin",
      MODEL_JSON,
    ]);
    assert.equal((await Deno.stat(`${root}/m/group1-shard4of4.bin`)).size, 900_136 - 900_000);
    const loaded = await tf.loadLayersModel(fileIOHandler(`${root}/m`));
    assertSameWeights(model, loaded);
    model.dispose();
    loaded.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("fileIOHandler() merges metadata into model.json and keeps a model's own", async () => {
  await withTempDir(async (root) => {
    const model = createModel("lenet5", { init: "zeros" });
    model.setUserDefinedMetadata({ owner: "test" });
    await model.save(fileIOHandler(root, { metadata: { accuracy: 0.5 } }));
    const json = JSON.parse(await Deno.readTextFile(`${root}/${MODEL_JSON}`));
    assert.deepEqual(json.userDefinedMetadata, { owner: "test", accuracy: 0.5 });
    assert.equal(json.convertedBy, "sparsegrain");
    assert.deepEqual(json.weightsManifest[0].paths, ["group1-shard1of1.bin"]);
    model.dispose();
  });
});

Deno.test("fileIOHandler() rejects a non-positive shard size before writing", async () => {
  await withTempDir(async (root) => {
    const model = createModel("lenet5", { init: "zeros" });
    await assert.rejects(model.save(fileIOHandler(`${root}/m`, { shardBytes: 0 })), RangeError);
    assert.deepEqual(await listDir(root), []);
    model.dispose();
  });
});

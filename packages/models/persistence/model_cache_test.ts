import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
import { modelCache, modelCacheKey } from "./model_cache.ts";
import { ModelFileError } from "./model_file_error.ts";
import { saveModel } from "./save_model.ts";
import { createModel } from "../zoo/create_model.ts";
import { assertSameWeights, listDir, withTempDir } from "./_test_util.ts";

const BASE = {
  architecture: "convnet",
  options: { seed: 1, classes: 10 },
  dataset: { name: "fashion-mnist", train: 60000, normalization: "per-channel" },
  training: { optimizer: "adam", lr: 1e-3, epochs: 3, batch: 64, seed: 7 },
};

Deno.test("modelCacheKey() is the SHA-256 of canonical JSON, independent of key order", async () => {
  const key = await modelCacheKey(BASE);
  assert.match(key, /^[0-9a-f]{64}$/);
  const canonical = '{"architecture":"convnet",' +
    '"dataset":{"name":"fashion-mnist","normalization":"per-channel","train":60000},' +
    '"format":"sparsegrain-model-cache/1",' +
    '"options":{"classes":10,"seed":1},' +
    '"training":{"batch":64,"epochs":3,"lr":0.001,"optimizer":"adam","seed":7}}';
  assert.equal(key, createHash("sha256").update(canonical).digest("hex"));
  const reordered = {
    training: { seed: 7, batch: 64, epochs: 3, lr: 1e-3, optimizer: "adam" },
    dataset: { normalization: "per-channel", train: 60000, name: "fashion-mnist" },
    options: { classes: 10, seed: 1, dropout: undefined },
    architecture: "convnet",
  };
  assert.equal(await modelCacheKey(reordered), key);
});

Deno.test("modelCacheKey() changes with every input it depends on", async () => {
  const key = await modelCacheKey(BASE);
  const variants = [
    { ...BASE, architecture: "lenet5" },
    { ...BASE, options: { seed: 2, classes: 10 } },
    { ...BASE, dataset: { ...BASE.dataset, train: 1000 } },
    { ...BASE, training: { ...BASE.training, epochs: 4 } },
    { ...BASE, training: { ...BASE.training, lr: 0.0011 } },
  ];
  const keys = await Promise.all(variants.map(modelCacheKey));
  assert.equal(new Set([key, ...keys]).size, variants.length + 1);
  await assert.rejects(modelCacheKey({ ...BASE, training: { lr: NaN } }), TypeError);
  await assert.rejects(modelCacheKey({ ...BASE, dataset: new Map() }), TypeError);
});

Deno.test("modelCache() misses, stores atomically, then hits with the same weights and meta", async () => {
  await withTempDir(async (root) => {
    const before = tf.memory().numTensors;
    const cache = modelCache(`${root}/cache/`);
    assert.equal(cache.dir, `${root}/cache`);
    const key = await modelCacheKey(BASE);
    assert.equal(await cache.has(key), false);
    assert.equal(await cache.get(key), undefined);

    const trained = createModel("convnet", { seed: 1 });
    const dir = await cache.put(key, trained, { accuracy: 0.912, seconds: 40 });
    assert.equal(dir, `${root}/cache/${key}`);
    assert.deepEqual(await listDir(`${root}/cache`), [key]);
    assert.equal(await cache.has(key), true);

    const hit = await cache.get(key);
    assert.ok(hit !== undefined);
    assert.deepEqual(hit.meta, { accuracy: 0.912, seconds: 40 });
    assert.equal(hit.key, key);
    assertSameWeights(trained, hit.model);
    hit.model.dispose();

    // A re-put replaces the entry.
    const retrained = createModel("convnet", { seed: 2 });
    await cache.put(key, retrained, { accuracy: 0.92 });
    const again = await cache.get(key);
    assert.equal(again?.meta.accuracy, 0.92);
    assertSameWeights(retrained, again!.model);
    again!.model.dispose();
    trained.dispose();
    retrained.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

Deno.test("a second sweep with the same key skips training", async () => {
  await withTempDir(async (root) => {
    let trainings = 0;
    const baseline = async () => {
      const cache = modelCache(root);
      const key = await modelCacheKey(BASE);
      const hit = await cache.get(key);
      if (hit !== undefined) return hit.model;
      trainings++;
      const model = createModel("lenet5", { seed: 1 });
      await cache.put(key, model, {});
      return model;
    };
    const first = await baseline();
    const second = await baseline();
    assert.equal(trainings, 1);
    assertSameWeights(first, second);
    first.dispose();
    second.dispose();
  });
});

Deno.test("modelCache() rejects unsafe keys and folders that are not its entry", async () => {
  await withTempDir(async (root) => {
    const cache = modelCache(root);
    assert.throws(() => cache.path("../escape"), TypeError);
    await assert.rejects(cache.get(""), TypeError);
    // A model saved there by hand, without cache metadata.
    const model = createModel("lenet5", { init: "zeros" });
    await saveModel(model, `${root}/abc`);
    const before = tf.memory().numTensors;
    await assert.rejects(
      cache.get("abc"),
      (e: unknown) => e instanceof ModelFileError && e.message.includes("delete it"),
    );
    assert.equal(tf.memory().numTensors, before);
    // A damaged entry: a shard removed.
    const key = await modelCacheKey(BASE);
    await cache.put(key, model, {});
    await Deno.remove(`${root}/${key}/group1-shard1of1.bin`);
    await assert.rejects(cache.get(key), /is missing/);
    model.dispose();
  });
});

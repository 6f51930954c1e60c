import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createModel, extractLayerWeights, loadModel, saveModel } from "@sparsegrain/models";
import { join } from "node:path";
import { cli, exists } from "./_cli.ts";

Deno.test("summary prints per-layer parameters, MACs and grains (VGG-16 known answers)", async () => {
  const run = await cli(["summary", "vgg16", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const s = JSON.parse(run.stdout);
  assert.equal(s.model, "vgg16");
  assert.equal(s.params, 138_357_544);
  assert.equal(s.layers.length, 16);
  assert.ok(Math.abs(s.macs - 15.47e9) / 15.47e9 < 0.005, String(s.macs));
  const conv1 = s.layers[0];
  assert.deepEqual([conv1.name, conv1.kind, conv1.shape], ["conv1_1", "conv2d", [3, 3, 3, 64]]);
  assert.deepEqual(
    [conv1.grains["0d"], conv1.grains["1d"], conv1.grains["2d"], conv1.grains["3d"]],
    [1728, 576, 192, 64],
  );
  const text = await cli(["summary", "lenet5", "--input", "32x32x1", "--classes", "5"]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^lenet5: input 32x32x1, /);
  assert.match(text.stdout, /\nlayer +kind +shape +params +MACs +0d grains/);
});

Deno.test("cost labels seeded weights and prunes at the Han 2015 densities", async () => {
  const run = await cli([
    "cost",
    "alexnet",
    "--granularity",
    "2d",
    "--density",
    "han2015-alexnet",
    "--accelerator",
    "scnn",
    "--accelerator",
    "dense",
    "--activation",
    "han2015-alexnet-activations",
    "--json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const c = JSON.parse(run.stdout);
  assert.match(c.weights, /^seeded He-normal weights \(seed 0; weight-free analysis, untrained\)$/);
  assert.deepEqual(c.layers.map((l: { name: string }) => l.name), [
    "conv1",
    "conv2",
    "conv3",
    "conv4",
    "conv5",
    "fc6",
    "fc7",
    "fc8",
  ]);
  const fc6 = c.layers.find((l: { name: string }) => l.name === "fc6");
  assert.ok(Math.abs(fc6.density - 0.09) < 1e-6);
  assert.equal(fc6.activationDensity, 0.34);
  assert.ok(c.totals.cost.scnn.referencesTotal < c.totals.cost.dense.referencesTotal);
});

Deno.test({
  name: "prune writes a pruned tfjs model and its storage report; cost --weights reads it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir();
    try {
      tf.env().set("PROD", true);
      await tf.setBackend("cpu");
      const model = createModel("convnet", { seed: 7 });
      await saveModel(model, join(root, "convnet"));
      model.dispose();
      const out = join(root, "pruned");
      const run = await cli([
        "prune",
        "--model",
        join(root, "convnet"),
        "--granularity",
        "2d",
        "--density",
        "0.3",
        "--out",
        out,
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Pruned 6 layers at 2d to density 0\.\d+/);
      const report = JSON.parse(await Deno.readTextFile(join(out, "storage.json")));
      assert.ok(Math.abs(report.achievedDensity - 0.3) < 0.01);
      assert.ok(report.storage["relative-index"].bits > 0);
      const pruned = await loadModel(out);
      const layers = extractLayerWeights(pruned);
      const conv2 = layers.find((l) => l.name === "conv2")!;
      let zeros = 0;
      for (const v of conv2.values) if (v === 0) zeros++;
      assert.ok(Math.abs(zeros / conv2.values.length - 0.7) < 0.01);
      pruned.dispose();

      const again = await cli([
        "prune",
        "--model",
        join(root, "convnet"),
        "-g",
        "2d",
        "-d",
        "0.3",
        "--out",
        out,
      ]);
      assert.equal(again.code, 2);
      assert.match(again.stderr, /^error: Output folder ".*pruned" is not empty/);

      const cost = await cli([
        "cost",
        "convnet",
        "--weights",
        out,
        "-g",
        "2d",
        "-d",
        "0.3",
        "--json",
      ]);
      assert.equal(cost.code, 0, cost.stderr);
      assert.equal(JSON.parse(cost.stdout).weights, `saved weights from ${out}`);
      const wrong = await cli(["cost", "lenet5", "--weights", out, "-g", "2d", "-d", "0.3"]);
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /^error: The model in ".*pruned" is not a "lenet5"/);
      const missing = await cli([
        "prune",
        "--model",
        join(root, "nope"),
        "-g",
        "2d",
        "-d",
        "0.3",
        "--out",
        join(root, "x"),
      ]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^error: Cannot open model ".*nope": the folder does not exist/);
      assert.equal(await exists(join(root, "x")), false);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("without the dataset the accuracy half is skipped with one message; --resume adds it later", async () => {
  const root = await Deno.makeTempDir();
  try {
    const config = join(new URL(".", import.meta.url).pathname, "fixtures/resume.yaml");
    const out = join(root, "out");
    const run = await cli([
      "sweep",
      "--config",
      config,
      "--out",
      out,
      "--data",
      join(root, "no-data"),
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const skip = run.stderr.split("\n").filter((l) => l.startsWith("Skipping"));
    assert.equal(skip.length, 1, run.stderr);
    assert.match(
      skip[0],
      /^Skipping the accuracy half \(6 points\): Fashion-MNIST was not found \(.*no-data.*\): install it with "apt-get install -y dataset-fashion-mnist", or pass --data DIR \(or set SPARSEGRAIN_DATA\) to a folder with the four IDX files; the weight-free half runs$/,
    );
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.accuracy, "skipped");
    assert.equal(summary.results, 2);
    assert.match(await Deno.readTextFile(join(out, "report.md")), /No accuracy results/);

    const resumed = await cli([
      "sweep",
      "--config",
      config,
      "--out",
      out,
      "--resume",
      "--json",
      "--quiet",
    ], {
      SPARSEGRAIN_CACHE: join(root, "cache"),
    });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(
      [JSON.parse(resumed.stdout).points.ran, JSON.parse(resumed.stdout).results],
      [6, 8],
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

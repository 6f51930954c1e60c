import assert from "node:assert/strict";
import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import { testCatalog, tinyShapes } from "../_test_catalog.ts";
import { studyFromText } from "../config/load.ts";
import { captureIO } from "../io.ts";
import { createProgress } from "../progress.ts";
import { mergeResults } from "../results/merge.ts";
import { parseShard } from "../results/shard.ts";
import { readResults } from "../results/store.ts";
import type { ResultLine } from "../results/schema.ts";
import { type AccuracyRunner, runSweep } from "./sweep.ts";
import { studyUnits } from "./points.ts";

const CONFIG = `
name: tiny
granularities: [0d, 2d]
encoders: [raw32]
accelerators: [macs, dense]
seeds: [0, 1]
densityMaps:
  half-conv: { "conv*": 0.5, "*": 0.25 }
weightFree:
  models: [{name: tiny, densityMaps: [half-conv], activationDensity: 0.8}, {name: tiny, classes: 5}]
  densities: [0.5, 0.2]
`;

const noAccuracy: AccuracyRunner = {
  unavailable: () => Promise.resolve("no accuracy half in this test"),
  preflight: () => [],
  prepare: () => Promise.reject(new Error("not called")),
  runChain: () => Promise.reject(new Error("not called")),
};

async function tinyStudy(text = CONFIG) {
  return await studyFromText(text, "tiny.yaml", "/tmp", testCatalog());
}

function strip(lines: readonly ResultLine[]): unknown[] {
  return lines.map(({ timings: _t, ...rest }) => rest);
}

async function sweep(out: string, options: { resume?: boolean; shard?: string } = {}) {
  const io = captureIO();
  const summary = await runSweep(
    await tinyStudy(),
    {
      out,
      resume: options.resume ?? false,
      shard: options.shard ? parseShard(options.shard) : undefined,
    },
    (m) => tinyShapes(m.classes),
    noAccuracy,
    createProgress(io),
  );
  return { summary, io };
}

Deno.test("runSweep() runs every weight-free point and writes every output", async () => {
  const out = await Deno.makeTempDir();
  try {
    const { summary } = await sweep(out);
    // 2 seeds x (2 uniform + 1 map) x 2 granularities for the first entry, 2 x 2 x 2 for the second
    assert.equal(summary.points.study, 12 + 8);
    assert.equal(summary.results, 20);
    const { lines } = await readResults(join(out, "results.jsonl"));
    assert.equal(lines.length, 20);
    const first = lines[0];
    assert.equal(first.point, "wf/tiny/0d/0.5/s0");
    assert.equal(lines.at(-1)!.point, "wf/tiny/5/2d/0.2/s1");
    assert.equal(first.metrics.weights, "seeded He-normal (weight-free, untrained)");
    assert.ok(Math.abs(first.metrics.density - 0.5) < 0.01);
    assert.deepEqual(first.plugins.map((p) => `${p.kind}:${p.name}@${p.version}`), [
      "granularity:0d@1.0.0",
      "saliency:l1@1.0.0",
      "encoder:raw32@1.0.0",
      "accelerator:macs@1.0.0",
      "accelerator:dense@1.0.0",
    ]);
    const map = lines.find((l) => l.densityLabel === "half-conv")!;
    assert.deepEqual(map.layers.map((l) => l.density), [0.5, 0.5, 0.25]);
    assert.equal(map.layers[0].activationDensity, 0.8);
    for (const f of ["results.csv", "layers.csv", "report.md", "report.html", "study.json"]) {
      assert.ok((await Deno.stat(join(out, f))).size > 0, f);
    }
    const md = await Deno.readTextFile(join(out, "report.md"));
    assert.match(md, /!\[Mask pictures\]\(mask-pictures\.svg\)/);
    const svg = await Deno.readTextFile(join(out, "memory-references-per-layer.svg"));
    assert.match(svg, /^<svg/);
    const spec = JSON.parse(await Deno.readTextFile(join(out, "mask-pictures.vl.json")));
    assert.ok(spec.data.values.length > 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("runSweep() resumes after a torn line and equals an uninterrupted run", async () => {
  const full = await Deno.makeTempDir();
  const cut = await Deno.makeTempDir();
  try {
    await sweep(full);
    const text = await Deno.readTextFile(join(full, "results.jsonl"));
    const rows = text.split("\n").filter((l) => l);
    // a run killed during point 8: seven whole lines and half of the eighth
    await Deno.writeTextFile(
      join(cut, "results.jsonl"),
      rows.slice(0, 7).join("\n") + "\n" + rows[7].slice(0, 40),
    );
    await Deno.copyFile(join(full, "study.json"), join(cut, "study.json"));
    const { summary } = await sweep(cut, { resume: true });
    assert.equal(summary.points.alreadyDone, 7);
    assert.equal(summary.points.ran, 13);
    const a = await readResults(join(full, "results.jsonl"));
    const b = await readResults(join(cut, "results.jsonl"));
    assert.equal(b.torn, false);
    assert.deepEqual(strip(b.lines), strip(a.lines));
  } finally {
    await Deno.remove(full, { recursive: true });
    await Deno.remove(cut, { recursive: true });
  }
});

Deno.test("two shards merged equal the unsharded run", async () => {
  const root = await Deno.makeTempDir();
  try {
    await sweep(join(root, "all"));
    const s0 = await sweep(join(root, "s0"), { shard: "0/2" });
    const s1 = await sweep(join(root, "s1"), { shard: "1/2" });
    assert.equal(s0.summary.points.ran + s1.summary.points.ran, 20);
    const merged = await mergeResults([join(root, "s0"), join(root, "s1")], join(root, "merged"));
    const all = await readResults(join(root, "all", "results.jsonl"));
    assert.deepEqual(strip(merged.lines), strip(all.lines));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runSweep() refuses other configs' results, existing results and files", async (t) => {
  const root = await Deno.makeTempDir();
  try {
    await sweep(join(root, "a"));
    await t.step("existing results without --resume", async () => {
      await assert.rejects(
        () => sweep(join(root, "a")),
        /already holds 20 results of this study: pass --resume/,
      );
    });
    await t.step("another config's results with --resume", async () => {
      const other = await tinyStudy(CONFIG.replace("[0.5, 0.2]", "[0.4]"));
      await assert.rejects(
        () =>
          runSweep(
            other,
            { out: join(root, "a"), resume: true },
            (m) => tinyShapes(m.classes),
            noAccuracy,
            createProgress(captureIO()),
          ),
        (e) =>
          e instanceof UserError &&
          /its results come from another config \(hash [0-9a-f]+, this config is [0-9a-f]+\)/.test(
            e.message,
          ),
      );
    });
    await t.step("a folder with another config's study.json but no results is reused", async () => {
      const dir = join(root, "empty");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "study.json"), JSON.stringify({ configHash: "0123" }));
      const { summary } = await sweep(dir);
      assert.equal(summary.results, 20);
    });
    await t.step("--out is a file, and nothing is written", async () => {
      const file = join(root, "file.txt");
      await Deno.writeTextFile(file, "x");
      await assert.rejects(() => sweep(file), /it is a file, not a folder/);
      assert.equal(await Deno.readTextFile(file), "x");
    });
    await t.step("merge refuses different configs", async () => {
      const other = await tinyStudy(CONFIG.replace("[0.5, 0.2]", "[0.4]"));
      await runSweep(
        other,
        { out: join(root, "b"), resume: false },
        (m) => tinyShapes(m.classes),
        noAccuracy,
        createProgress(captureIO()),
      );
      await assert.rejects(
        () => mergeResults([join(root, "a"), join(root, "b")], join(root, "m")),
        /they come from different configs/,
      );
      await assert.rejects(() => Deno.stat(join(root, "m")), Deno.errors.NotFound);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runSweep() checks density maps against model layers before writing", async () => {
  const root = await Deno.makeTempDir();
  try {
    const study = await tinyStudy(CONFIG.replace('"*": 0.25', '"fc9": 0.25'));
    await assert.rejects(
      () =>
        runSweep(
          study,
          { out: join(root, "x"), resume: false },
          (m) => tinyShapes(m.classes),
          noAccuracy,
          createProgress(captureIO()),
        ),
      /The density map "half-conv" has no entry for layers "fc" of model "tiny": add them, or a "\*" entry/,
    );
    await assert.rejects(() => Deno.stat(join(root, "x")), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("shards deal work units round-robin and cover the study exactly once", async () => {
  const units = studyUnits(await tinyStudy());
  const ids = units.map((u) => u.id);
  assert.equal(new Set(ids).size, ids.length);
  const indices = units.flatMap((u) => u.points.map((p) => p.index));
  assert.deepEqual(indices, indices.map((_, i) => i));
});

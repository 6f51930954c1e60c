import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, ROOT, stableResults } from "./_cli.ts";

const CONFIG = join(ROOT, "examples/sweeps/plugins.yaml");
const GRANULARITIES = ["0d", "2d", "3d", "pattern", "pattern8"];

interface Line {
  half: string;
  granularity: string;
  saliency: string;
  plugins: Array<{ kind: string; name: string; source: string }>;
  metrics: { storage: Record<string, unknown>; cost: Record<string, unknown> };
}

Deno.test("examples/sweeps/plugins.yaml: every example plugin is in the results, tables and charts", async () => {
  const root = await Deno.makeTempDir();
  const out = join(root, "out");
  try {
    const run = await cli(
      ["sweep", "--config", CONFIG, "--quick", "--out", out, "--quiet"],
      { SPARSEGRAIN_CACHE: join(root, "cache") },
    );
    assert.equal(run.code, 0, run.stderr);
    const lines = await stableResults(out) as unknown as Line[];
    for (const half of ["weight-free", "accuracy"]) {
      assert.deepEqual(
        lines.filter((l) => l.half === half).map((l) => l.granularity),
        GRANULARITIES,
        half,
      );
    }
    for (const line of lines) {
      assert.equal(line.saliency, "fpgm");
      assert.ok(line.metrics.storage.huffman, `${line.granularity}: huffman storage`);
      assert.ok(line.metrics.cost["cambricon-x"], `${line.granularity}: cambricon-x cost`);
      const sources = new Set(line.plugins.map((p) => `${p.kind}:${p.name}:${p.source}`));
      for (
        const p of [
          "saliency:fpgm:../plugins/fpgm_saliency.ts",
          "encoder:huffman:../plugins/huffman_encoder.ts",
          "accelerator:cambricon-x:../plugins/cambricon_x_accelerator.ts",
        ]
      ) {
        assert.ok(sources.has(p), `${line.granularity} records ${p}`);
      }
    }

    const csv = await Deno.readTextFile(join(out, "results.csv"));
    for (const column of ["huffman_bits", "cambricon-x_references"]) {
      assert.ok(csv.split("\n")[0].split(",").includes(column), column);
    }
    const report = await Deno.readTextFile(join(out, "report.md"));
    assert.match(report, /\| pattern8 \|/);
    assert.match(report, /cambricon-x refs \/ 0d/);
    const findings = await Deno.readTextFile(join(out, "results.md"));
    for (const name of ["pattern8", "huffman", "cambricon-x", "fpgm"]) {
      assert.ok(findings.includes(name), `results.md names ${name}`);
    }

    const charts: Array<[string, string, string]> = [
      ["accuracy-vs-sparsity", "granularity", "pattern8"],
      ["compression-vs-accuracy", "granularity", "pattern"],
      ["memory-references-total", "accelerator", "cambricon-x"],
      ["memory-references-per-layer", "granularity", "pattern8"],
      ["energy-by-kind", "accelerator", "cambricon-x"],
      ["mask-pictures", "granularity", "pattern"],
    ];
    for (const [chart, field, value] of charts) {
      const spec = JSON.parse(await Deno.readTextFile(join(out, `${chart}.vl.json`)));
      assert.ok(
        spec.data.values.some((v: Record<string, unknown>) => v[field] === value),
        `${chart} has ${value} in its data`,
      );
      const svg = await Deno.readTextFile(join(out, `${chart}.svg`));
      assert.ok(svg.includes(`>${value}<`), `${chart}.svg shows ${value}`);
    }
    const compression = await Deno.readTextFile(join(out, "compression-vs-accuracy.svg"));
    assert.ok(compression.includes("huffman"), "the compression chart is drawn for huffman");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, FIXTURES, stableResults } from "./_cli.ts";

Deno.test("a user plugin from examples/ appears in plugins, results, tables and charts", async () => {
  const root = await Deno.makeTempDir();
  const out = join(root, "out");
  try {
    const listed = await cli(["plugins", "--json", "--config", join(FIXTURES, "plugin.yaml")]);
    assert.equal(listed.code, 0, listed.stderr);
    const pattern = JSON.parse(listed.stdout).find((p: { name: string }) => p.name === "pattern");
    assert.equal(pattern.kind, "granularity");
    assert.equal(pattern.source, "../../../examples/plugins/pattern_granularity.ts");

    const run = await cli([
      "sweep",
      "--config",
      join(FIXTURES, "plugin.yaml"),
      "--out",
      out,
      "--quiet",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const lines = await stableResults(out) as Array<{
      granularity: string;
      plugins: Array<{ kind: string; name: string; version: string; source: string }>;
      layers: Array<{ name: string; density: number }>;
    }>;
    assert.deepEqual(lines.map((l) => l.granularity), ["0d", "2d", "pattern"]);
    const line = lines[2];
    assert.deepEqual(line.plugins[0], {
      kind: "granularity",
      name: "pattern",
      version: "1.0.0",
      label: "pattern",
      source: "../../../examples/plugins/pattern_granularity.ts",
    });
    // every 3x3 kernel keeps its 4-weight pattern; conv1 (5x5) and the dense layers stay dense
    const conv2 = line.layers.find((l) => l.name === "conv2")!;
    assert.ok(Math.abs(conv2.density - 4 / 9) < 1e-9, String(conv2.density));
    assert.equal(line.layers.find((l) => l.name === "conv1")!.density, 1);

    const csv = await Deno.readTextFile(join(out, "results.csv"));
    assert.match(csv, /\nwf\/convnet\/pattern\/0\.4444\/s0,weight-free,convnet,pattern,/);
    const md = await Deno.readTextFile(join(out, "report.md"));
    assert.match(md, /\| convnet \| 0\.4444 \| pattern \|/);
    for (const chart of ["memory-references-per-layer", "energy-by-kind", "mask-pictures"]) {
      const spec = JSON.parse(await Deno.readTextFile(join(out, `${chart}.vl.json`)));
      assert.ok(
        spec.data.values.some((v: { granularity: string }) => v.granularity === "pattern"),
        chart,
      );
      const svg = await Deno.readTextFile(join(out, `${chart}.svg`));
      assert.match(svg, />pattern</, `${chart}.svg names the plugin`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

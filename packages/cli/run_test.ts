import assert from "node:assert/strict";
import { UserError } from "@sparsegrain/core";
import { testCatalog, tinyShapes } from "./_test_catalog.ts";
import type { CliDeps } from "./commands/_command.ts";
import { captureIO } from "./io.ts";
import { runCli } from "./run.ts";

function deps(overrides: Partial<CliDeps> = {}): CliDeps {
  return {
    ready: () => Promise.resolve(),
    catalog: () => testCatalog(),
    shapes: (m) => tinyShapes(m.classes),
    facts: (m) => ({
      model: m.name,
      inputShape: [6, 6, 2],
      params: 0,
      weights: 0,
      macs: 0,
      layers: tinyShapes(m.classes).map((l) => ({
        ...l,
        params: l.shape.reduce((a, b) => a * b),
        macs: 0,
      })),
    }),
    openModel: () => Promise.reject(new UserError("No saved model here: pass --weights")),
    accuracy: {
      unavailable: () => Promise.resolve("skipped"),
      preflight: () => [],
      prepare: () => Promise.resolve(),
      runChain: () => Promise.resolve(),
    },
    ...overrides,
  };
}

async function run(args: string[], d = deps()) {
  const io = captureIO();
  const code = await runCli(args, io, d);
  return { code, out: io.out.join(""), err: io.err.join("") };
}

Deno.test("runCli() prints help for the CLI and for every command", async () => {
  const top = await run(["--help"]);
  assert.equal(top.code, 0);
  for (const name of ["sweep", "summary", "cost", "prune", "report", "merge", "plugins"]) {
    assert.match(top.out, new RegExp(`\\n  ${name} `));
    const help = await run([name, "--help"]);
    assert.equal(help.code, 0, name);
    assert.match(help.out, new RegExp(`^Usage: sparsegrain ${name}`));
    assert.match(help.out, /-h, --help/);
  }
});

Deno.test("runCli() exits 2 with one line naming an unknown flag or command", async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [
      ["sweep", "--colour", "red"],
      /^error: Unknown flag "--colour" for "sweep": run "sparsegrain sweep --help" to see the flags\n$/,
    ],
    [["frobnicate"], /^error: Unknown command "frobnicate": use one of "sweep", /],
    [["summary"], /^error: Missing argument MODEL for "summary"/],
    [["summary", "a", "b"], /^error: Unexpected argument "b" for "summary"/],
    [["sweep", "--shard", "2/2"], /^error: Bad --shard "2\/2": K must be in \[0, N\)/],
    [
      ["sweep", "--workers", "0"],
      /^error: Bad --workers "0": expected a whole number from 1 to 64, e.g. --workers 2\n$/,
    ],
    [["sweep", "--workers", "2.5"], /^error: Bad --workers "2\.5": expected a whole number/],
    [["sweep", "--config"], /^error: Flag "--config" of "sweep" needs a value/],
    [
      ["cost", "tiny", "--granularity", "9d", "--density", "0.5"],
      /^error: Unknown granularity "9d": use one of "0d", "2d"/,
    ],
    [
      ["cost", "tiny", "--granularity", "0d", "--density", "0"],
      /^error: Flag "--density" must be in \(0, 1\], found 0/,
    ],
    [
      ["cost", "tiny", "--granularity", "0d", "--density", "1.5"],
      /^error: Flag "--density" must be in \(0, 1\], found 1\.5/,
    ],
    [["summary", "resnet9"], /^error: Unknown model "resnet9": use one of "tiny"/],
    [
      ["report", "/nonexistent/dir"],
      /^error: Cannot report on "\/nonexistent\/dir": the folder does not exist/,
    ],
  ];
  for (const [args, pattern] of cases) {
    await t.step(args.join(" "), async () => {
      const r = await run(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, pattern);
      assert.equal(r.err.split("\n").filter((l) => l).length, 1, r.err);
      assert.doesNotMatch(r.err, /\n\s+at /);
    });
  }
});

Deno.test("runCli() exits 1 with the stack on an internal fault", async () => {
  const r = await run(
    ["summary", "tiny"],
    deps({
      facts: () => {
        throw new TypeError("boom");
      },
    }),
  );
  assert.equal(r.code, 1);
  assert.match(r.err, /^internal error: TypeError: boom\n\s+at /);
});

Deno.test("summary and cost run on the test catalog", async () => {
  const s = await run(["summary", "tiny", "--json"]);
  assert.equal(s.code, 0, s.err);
  const summary = JSON.parse(s.out);
  assert.deepEqual(summary.layers.map((l: { grains: Record<string, number> }) => l.grains), [
    { "0d": 72, "2d": 8 },
    { "0d": 144, "2d": 16 },
    { "0d": 1440, "2d": 1440 },
  ]);
  const c = await run([
    "cost",
    "tiny",
    "-g",
    "2d",
    "-d",
    "0.5",
    "--accelerator",
    "macs",
    "--encoder",
    "raw32",
    "--json",
  ]);
  assert.equal(c.code, 0, c.err);
  const cost = JSON.parse(c.out);
  assert.match(cost.weights, /seeded He-normal/);
  assert.equal(cost.layers[0].keptGrains, 4);
  assert.ok(cost.totals.cost.macs.products > 0);
  const text = await run([
    "cost",
    "tiny",
    "-g",
    "0d",
    "-d",
    "0.3",
    "--accelerator",
    "macs",
    "--encoder",
    "raw32",
  ]);
  assert.equal(text.code, 0, text.err);
  assert.match(
    text.out,
    /Weights: seeded He-normal weights \(seed 0; weight-free analysis, untrained\)/,
  );
  assert.match(text.out, /\ntotal /);
});

Deno.test("plugins lists built-ins and user modules", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/p.ts`,
      `export const mine = { name: "mine", version: "2.0.0", describe: () => "mine", score: (_l, g) => new Float32Array(g.count) };`,
    );
    const r = await run(["plugins", "--json", "--plugin", `${dir}/p.ts`]);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out);
    assert.deepEqual(rows.find((p: { name: string }) => p.name === "mine"), {
      kind: "saliency",
      name: "mine",
      version: "2.0.0",
      description: "mine",
      options: {},
      source: `${dir}/p.ts`,
    });
    assert.ok(
      rows.some((p: { kind: string; name: string }) => p.kind === "granularity" && p.name === "0d"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

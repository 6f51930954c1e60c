import assert from "node:assert/strict";
import { UserError } from "@sparsegrain/core";
import { testCatalog } from "../_test_catalog.ts";
import { applyQuick, configHash, studyFromText } from "./load.ts";
import { ConfigProblemsError } from "./problems.ts";

async function problemsOf(text: string, dir = "/tmp"): Promise<string[]> {
  try {
    await studyFromText(text, "study.yaml", dir, testCatalog());
  } catch (error) {
    if (error instanceof ConfigProblemsError) return error.details();
    throw error;
  }
  assert.fail("expected config problems");
}

Deno.test("studyFromText() reports five different mistakes together with positions", async () => {
  const text = [
    "name: five",
    "granularities: [0d, 4d]", // unknown granularity
    "seeds: [1.5]", // wrong type
    "weightFree:",
    "  models: [tiny]",
    "  densities: [0, 1.5]", // out of range twice
    "  colour: red", // unknown key
    "encoders: [raw32]",
  ].join("\n");
  const problems = await problemsOf(text);
  assert.equal(problems.length, 5, problems.join("\n"));
  assert.match(
    problems[0],
    /^study\.yaml:2:21 granularities\[1\]: unknown granularity "4d": use one of "0d", "2d"/,
  );
  assert.match(problems[1], /^study\.yaml:3:9 seeds\[0\]: found 1\.5, expected a whole number/);
  assert.match(
    problems[2],
    /^study\.yaml:6:15 weightFree\.densities\[0\]: found 0, expected a number in \(0, 1\]/,
  );
  assert.match(
    problems[3],
    /^study\.yaml:6:18 weightFree\.densities\[1\]: found 1\.5, expected a number in \(0, 1\]/,
  );
  assert.match(
    problems[4],
    /^study\.yaml:7:3 weightFree\.colour: unknown key "colour": use one of "models"/,
  );
});

Deno.test("studyFromText() reports malformed YAML with its position", async () => {
  const problems = await problemsOf("name: x\ngranularities: [0d, 2d\nseeds: [1]\n");
  assert.ok(problems.length >= 1);
  assert.match(problems[0], /^study\.yaml:\d+:\d+ malformed YAML: /);
});

Deno.test("studyFromText() checks names, maps, labels and decreasing densities", async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "unknown saliency",
      "saliency: l9\nweightFree: {models: [tiny]}",
      /saliency: unknown saliency metric "l9"/,
    ],
    [
      "unknown encoder",
      "encoders: [zip]\nweightFree: {models: [tiny]}",
      /encoders\[0\]: unknown encoder "zip"/,
    ],
    [
      "unknown model",
      "weightFree: {models: [resnet9000]}",
      /weightFree\.models\[0\]: unknown model "resnet9000": use one of "tiny"/,
    ],
    [
      "unknown density map",
      "weightFree: {models: [{name: tiny, densityMaps: [nope]}]}",
      /densityMaps\[0\]: unknown density map "nope"/,
    ],
    [
      "duplicate labels",
      "granularities: [0d, {name: 0d}]\nweightFree: {models: [tiny]}",
      /granularities\[1\]: label "0d" is already used by granularities\[0\]/,
    ],
    [
      "increasing densities",
      "accuracy: {models: [{name: tiny}], densities: [0.5, 0.7]}",
      /accuracy\.densities\[1\]: found 0\.7 after 0\.5, expected strictly decreasing/,
    ],
    ["nothing to do", "name: empty", /neither an accuracy nor a weightFree section/],
    [
      "options of a user-less builtin rejected by its factory",
      "granularities: [{name: 2d, options: {axis: row}}]\nweightFree: {models: [tiny]}",
      /granularities\[0\]\.options: bad options for granularity "2d": granularity "2d" takes no option "axis"/,
    ],
    [
      "schedule kind",
      "accuracy: {models: [{name: tiny}], schedule: {kind: cubic}}",
      /accuracy\.schedule\.kind: found "cubic", expected one of "one-shot", "iterative", "agp"/,
    ],
  ];
  for (const [name, text, pattern] of cases) {
    await t.step(name, async () => {
      const problems = await problemsOf(text);
      assert.ok(problems.some((p) => pattern.test(p)), problems.join("\n"));
    });
  }
});

Deno.test("studyFromText() fills defaults and resolves plugins", async () => {
  const study = await studyFromText(
    "granularities: [0d, 2d]\nencoders: [raw32]\naccelerators: [macs]\nweightFree: {models: [tiny], densities: [0.5]}\n",
    "s.yaml",
    "/tmp",
    testCatalog(),
  );
  assert.deepEqual(study.granularities.map((g) => g.label), ["0d", "2d"]);
  assert.equal(study.saliency.plugin.name, "l1");
  assert.equal(study.config.scope, "layer");
  assert.deepEqual(study.config.seeds, [0]);
  assert.equal(study.config.weightFree?.activationDensity, 0.5);
  assert.match(study.configHash, /^[0-9a-f]{16}$/);
});

Deno.test("configHash() ignores report drops but not densities; --quick changes it", async () => {
  const base =
    "weightFree: {models: [tiny], densities: [0.5]}\nencoders: [raw32]\naccelerators: [macs]\ngranularities: [0d]\n";
  const a = await studyFromText(base, "s.yaml", "/tmp", testCatalog());
  const b = await studyFromText(base + "report: {drops: [2]}\n", "s.yaml", "/tmp", testCatalog());
  const c = await studyFromText(base.replace("0.5", "0.4"), "s.yaml", "/tmp", testCatalog());
  const q = await studyFromText(base, "s.yaml", "/tmp", testCatalog(), { quick: true });
  assert.equal(a.configHash, b.configHash);
  assert.notEqual(a.configHash, c.configHash);
  assert.notEqual(a.configHash, q.configHash);
  assert.equal(await configHash(a.config), a.configHash);
});

Deno.test("applyQuick() shrinks both halves as the quick: section says", async () => {
  const text = [
    "accuracy: {models: [{name: tiny}], dataset: {trainSubset: 50000}}",
    "weightFree: {models: [tiny, other], densities: [0.5, 0.3, 0.1]}",
    "quick: {trainSubset: 500, weightFreeModels: [tiny], weightFreeDensities: [0.2]}",
    "encoders: [raw32]",
    "accelerators: [macs]",
    "granularities: [0d]",
  ].join("\n");
  const study = await studyFromText(text, "s.yaml", "/tmp", testCatalog(["tiny", "other"]));
  const quick = applyQuick(study.config);
  assert.equal(quick.accuracy?.dataset.trainSubset, 500);
  assert.equal(quick.accuracy?.dataset.testSubset, 1000);
  assert.deepEqual(quick.accuracy?.densities, [0.5, 0.2]);
  assert.equal(quick.accuracy?.models[0].training.epochs, 1);
  assert.deepEqual(quick.weightFree?.models, ["tiny"]);
  assert.deepEqual(quick.weightFree?.densities, [0.2]);
});

Deno.test("studyFromText() loads user plugins and reports bad ones", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/rows.ts`,
      `import { blockGrains } from "@sparsegrain/core";
export const rows = { name: "rows", version: "0.1.0", describe: () => "rows",
  partition: (l) => blockGrains(l.shape, l.shape.length === 4 ? [1, l.shape[1], 1, 1] : [1, 1]) };
export const helper = 42;`,
    );
    await Deno.writeTextFile(`${dir}/throws.ts`, `throw new Error("boom at load");\nexport {};`);
    await Deno.writeTextFile(
      `${dir}/grad.ts`,
      `export const grad = { name: "grad", version: "1.0.0", describe: () => "needs gradients",
  score: (_l, g, c) => { if (!c?.gradients) throw new Error("no gradients"); return new Float32Array(g.count); } };`,
    );
    await Deno.writeTextFile(`${dir}/none.ts`, `export const answer = 42;\nexport function f() {}`);
    await Deno.writeTextFile(
      `${dir}/half.ts`,
      `export const half = { name: "half", partition: () => undefined };`,
    );
    const wf = "\nweightFree: {models: [tiny]}\nencoders: [raw32]\naccelerators: [macs]\n";
    await t.step("a plugin is registered and usable by name", async () => {
      const study = await studyFromText(
        `plugins: [./rows.ts]\ngranularities: [0d, rows]${wf}`,
        "s.yaml",
        dir,
        testCatalog(),
      );
      assert.equal(study.granularities[1].plugin.name, "rows");
      assert.equal(study.granularities[1].source, "./rows.ts");
      assert.deepEqual(study.userPlugins.map((p) => `${p.kind}:${p.name}`), ["granularity:rows"]);
    });
    await t.step("a saliency metric that needs gradients is reported before the run", async () => {
      const problems = await problemsOf(
        `plugins: [./grad.ts]\nsaliency: grad\ngranularities: [0d]${wf}`,
        dir,
      );
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(
        problems[0],
        /saliency: saliency metric "grad" cannot score without loss gradients.*\(no gradients\)/,
      );
    });
    const bad: Array<[string, RegExp]> = [
      [
        "./missing.ts",
        /plugins\[0\]: Cannot load plugin "\.\/missing\.ts": ".*missing\.ts" does not exist: fix the path/,
      ],
      [
        "./throws.ts",
        /plugins\[0\]: Cannot load plugin "\.\/throws\.ts": the module threw while loading \(Error: boom at load\)/,
      ],
      [
        "./none.ts",
        /exports no sparsegrain plugin \(found "answer" \(number\), "f" \(a function\)\)/,
      ],
      [
        "./half.ts",
        /export "half" looks like a granularity but lacks version \(string\), describe\(\)/,
      ],
    ];
    for (const [spec, pattern] of bad) {
      await t.step(spec, async () => {
        const problems = await problemsOf(`plugins: [${spec}]${wf}`, dir);
        assert.equal(problems.length, 1, problems.join("\n"));
        assert.match(problems[0], pattern);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ConfigProblemsError is a UserError with a one-line message", () => {
  const e = new ConfigProblemsError("x.yaml", [
    { file: "x.yaml", line: 3, column: 1, path: "b", message: "second" },
    { file: "x.yaml", line: 1, column: 1, path: "a", message: "first" },
  ]);
  assert.ok(e instanceof UserError);
  assert.equal(e.message, 'Config "x.yaml" has 2 problems: fix them and run again');
  assert.deepEqual(e.details(), ["x.yaml:1:1 a: first", "x.yaml:3:1 b: second"]);
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinCatalog } from "../packages/cli/builtins.ts";
import { loadStudy } from "../packages/cli/config/load.ts";
import { studyUnits } from "../packages/cli/study/points.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SWEEPS = join(ROOT, "examples/sweeps");

Deno.test("every sweep in examples/sweeps loads, with and without --quick", async () => {
  for await (const entry of Deno.readDir(SWEEPS)) {
    if (!entry.name.endsWith(".yaml")) continue;
    for (const quick of [false, true]) {
      const study = await loadStudy(join(SWEEPS, entry.name), builtinCatalog(), { quick });
      assert.ok(studyUnits(study).length > 0, `${entry.name} has points`);
    }
  }
});

Deno.test("the default study has three seeds and docs/results.md comes from its config", async () => {
  const study = await loadStudy(join(SWEEPS, "default.yaml"), builtinCatalog());
  const points = studyUnits(study).flatMap((u) => u.points);
  const accuracy = points.filter((p) => p.half === "accuracy");
  assert.equal(accuracy.length, 3 * 4 * 4, "3 seeds x 4 granularities x 4 densities");
  assert.equal(points.length - accuracy.length, 68, "five weight-free models, one seed");
  assert.deepEqual([...new Set(accuracy.map((p) => p.seed))], [0, 1, 2]);
  const results = await Deno.readTextFile(join(ROOT, "docs/results.md"));
  assert.ok(
    results.includes(`(config hash \`${study.configHash}\`)`),
    "docs/results.md was written by another version of examples/sweeps/default.yaml: run `deno task sweep`, then `cp runs/default/results.md docs/results.md`",
  );
});

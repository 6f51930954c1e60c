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

Deno.test("the default study has three seeds and 116 points", async () => {
  const study = await loadStudy(join(SWEEPS, "default.yaml"), builtinCatalog());
  const points = studyUnits(study).flatMap((u) => u.points);
  const accuracy = points.filter((p) => p.half === "accuracy");
  assert.equal(accuracy.length, 3 * 4 * 4, "3 seeds x 4 granularities x 4 densities");
  assert.equal(points.length - accuracy.length, 68, "five weight-free models, one seed");
  assert.deepEqual([...new Set(accuracy.map((p) => p.seed))], [0, 1, 2]);
});

Deno.test("each committed docs/results*.md comes from its study's current config", async () => {
  let checked = 0;
  for await (const entry of Deno.readDir(SWEEPS)) {
    if (!entry.name.endsWith(".yaml")) continue;
    const study = await loadStudy(join(SWEEPS, entry.name), builtinCatalog());
    const name = study.config.name;
    const doc = name === "default" ? "docs/results.md" : `docs/results-${name}.md`;
    let text: string;
    try {
      text = await Deno.readTextFile(join(ROOT, doc));
    } catch {
      continue; // this study's findings are not committed
    }
    checked++;
    const flag = entry.name === "default.yaml" ? "" : ` --config examples/sweeps/${entry.name}`;
    assert.ok(
      text.includes(`(config hash \`${study.configHash}\`)`),
      `${doc} was written by another version of examples/sweeps/${entry.name}: run \`deno task sweep${flag}\`, then copy runs/${name}/results.md to ${doc}`,
    );
  }
  assert.ok(checked >= 2, "docs/results.md and docs/results-finetune4x.md are checked");
});

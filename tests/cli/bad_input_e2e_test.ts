import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, exists, FIXTURES, stableResults } from "./_cli.ts";

const BAD = join(FIXTURES, "bad");

/** Exit 2, a readable message without a stack trace, nothing on stdout, nothing written. */
async function assertUserError(
  args: string[],
  out: string,
  message: RegExp,
  lines = 1,
): Promise<string> {
  const run = await cli(args);
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^error: /);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(run.stderr, /internal error/);
  assert.equal(run.stderr.trimEnd().split("\n").length, lines, run.stderr);
  assert.equal(await exists(out), false, "no partial output");
  return run.stderr;
}

Deno.test("bad config files each exit 2 with one readable message and write nothing", async (t) => {
  const root = await Deno.makeTempDir();
  const out = join(root, "out");
  const sweep = (file: string) => ["sweep", "--config", join(BAD, file), "--out", out];
  try {
    await t.step("malformed YAML", async () => {
      // Written here, not kept as a fixture: `deno fmt` refuses to read a malformed YAML file.
      const file = join(root, "malformed.yaml");
      await Deno.writeTextFile(
        file,
        "name: malformed\ngranularities: [0d, 1d\nweightFree:\n  models: [lenet5]\n",
      );
      await assertUserError(
        ["sweep", "--config", file, "--out", out],
        out,
        /^error: Config ".*malformed\.yaml" has \d problems?: fix (it|them) and run again\n {2}.*malformed\.yaml:3:1 malformed YAML: /,
        2,
      );
    });
    await t.step("five mistakes, all reported in one run", async () => {
      const stderr = await assertUserError(
        sweep("five_mistakes.yaml"),
        out,
        /^error: Config ".*five_mistakes\.yaml" has 5 problems: fix them and run again\n/,
        6,
      );
      const problems = stderr.trimEnd().split("\n").slice(1).map((l) => l.trim());
      assert.match(
        problems[0],
        /five_mistakes\.yaml:3:25 granularities\[2\]: unknown granularity "4d": use one of "0d", "1d", "2d", "3d", "channel", "nm", "block"/,
      );
      assert.match(
        problems[1],
        /five_mistakes\.yaml:4:9 seeds\[0\]: found "one", expected a whole number in \[0, 2\^31-1\]/,
      );
      assert.match(
        problems[2],
        /five_mistakes\.yaml:7:20 weightFree\.densities\[1\]: found 1\.5, expected a number in \(0, 1\], e\.g\. 0\.3/,
      );
      assert.match(
        problems[3],
        /five_mistakes\.yaml:9:3 weightFree\.colour: unknown key "colour": use one of "models", "densities", "activationDensity"/,
      );
      assert.match(
        problems[4],
        /five_mistakes\.yaml:11:21 accuracy\.schedule\.kind: found "cubic", expected one of "one-shot", "iterative", "agp"/,
      );
    });
    await t.step("unknown granularity", async () => {
      await assertUserError(
        sweep("unknown_granularity.yaml"),
        out,
        /granularities\[1\]: unknown granularity "5d": use one of "0d", /,
        2,
      );
    });
    await t.step("density 0", async () => {
      await assertUserError(
        sweep("density_zero.yaml"),
        out,
        /weightFree\.densities\[0\]: found 0, expected a number in \(0, 1\]/,
        2,
      );
    });
    await t.step("density 1.5", async () => {
      await assertUserError(
        sweep("density_too_big.yaml"),
        out,
        /weightFree\.densities\[0\]: found 1\.5, expected a number in \(0, 1\]/,
        2,
      );
    });
    await t.step("a plugin path that does not exist", async () => {
      await assertUserError(
        sweep("missing_plugin.yaml"),
        out,
        /plugins\[0\]: Cannot load plugin "\.\/no_such_plugin\.ts": ".*no_such_plugin\.ts" does not exist: fix the path \(plugin paths are relative to the config file\)/,
        2,
      );
    });
    await t.step("a plugin that throws on load", async () => {
      await assertUserError(
        sweep("throwing_plugin.yaml"),
        out,
        /plugins\[0\]: Cannot load plugin "\.\/throws_on_load\.ts": the module threw while loading \(Error: lookup table is empty: the plugin was built without its data\): fix the module/,
        2,
      );
    });
    await t.step("a module that exports no plugin", async () => {
      await assertUserError(
        sweep("not_a_plugin.yaml"),
        out,
        /it exports no sparsegrain plugin \(found "answer" \(number\), "helper" \(a function\)\): export objects with name, version, describe\(\)/,
        2,
      );
    });
    await t.step("a config file that does not exist", async () => {
      await assertUserError(
        sweep("nope.yaml"),
        out,
        /^error: Cannot read config ".*nope\.yaml": the file does not exist: pass --config/,
      );
    });
    await t.step("density 0 and 1.5 given as flags", async () => {
      for (const d of ["0", "1.5"]) {
        await assertUserError(
          ["cost", "lenet5", "--granularity", "2d", "--density", d],
          out,
          /^error: Flag "--density" must be in \(0, 1\], found /,
        );
      }
    });
    await t.step("an unknown flag", async () => {
      await assertUserError(
        ["sweep", "--shards", "2"],
        out,
        /^error: Unknown flag "--shards" for "sweep": run "sparsegrain sweep --help"/,
      );
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bad output folders each exit 2 with one readable message and change nothing", async (t) => {
  const root = await Deno.makeTempDir();
  try {
    await t.step("--out pointing at a file", async () => {
      const file = join(root, "results.txt");
      await Deno.writeTextFile(file, "keep me");
      const run = await cli(["sweep", "--config", join(FIXTURES, "lenet5.yaml"), "--out", file]);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(
        run.stderr,
        `error: Cannot write results to "${file}": it is a file, not a folder: pass --out with a folder path\n`,
      );
      assert.equal(await Deno.readTextFile(file), "keep me");
    });
    await t.step("--resume with another config's results", async () => {
      const out = join(root, "lenet5");
      const first = await cli([
        "sweep",
        "--config",
        join(FIXTURES, "lenet5.yaml"),
        "--out",
        out,
        "--quiet",
      ]);
      assert.equal(first.code, 0, first.stderr);
      const before = await stableResults(out);
      const run = await cli([
        "sweep",
        "--config",
        join(FIXTURES, "resume.yaml"),
        "--out",
        out,
        "--resume",
      ]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^error: Cannot resume in ".*lenet5": its results come from another config \(hash [0-9a-f]{16}, this config is [0-9a-f]{16}\): pass --out with a new folder, or the config that wrote them\n$/,
      );
      assert.deepEqual(await stableResults(out), before);
      assert.equal(await exists(join(out, "checkpoints")), false);
    });
    await t.step("merge of results from two configs", async () => {
      const other = join(root, "other");
      const second = await cli([
        "sweep",
        "--config",
        join(FIXTURES, "bad/../lenet5.yaml"),
        "--out",
        other,
        "--quiet",
        "--quick",
      ]);
      assert.equal(second.code, 0, second.stderr);
      const merged = join(root, "merged");
      const run = await cli(["merge", join(root, "lenet5"), other, "--out", merged]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /^error: Cannot merge ".*other" with ".*lenet5": they come from different configs/,
      );
      assert.equal(await exists(merged), false);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

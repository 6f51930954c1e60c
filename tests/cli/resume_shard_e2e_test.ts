import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, countLines, exists, FIXTURES, spawnCli, stableResults } from "./_cli.ts";

const CONFIG = join(FIXTURES, "resume.yaml");
const POINTS = 2 + 2 * 3; // weight-free lenet5 at 2 granularities, then two chains of 3 densities

Deno.test("a killed sweep resumes to the same results; merged shards and one worker equal one run", async (t) => {
  const root = await Deno.makeTempDir();
  const env = { SPARSEGRAIN_CACHE: join(root, "cache") };
  const sweep = (out: string, ...extra: string[]) =>
    cli(["sweep", "--config", CONFIG, "--out", join(root, out), "--quiet", ...extra], env);
  try {
    const full = await sweep("full");
    assert.equal(full.code, 0, full.stderr);
    const expected = await stableResults(join(root, "full"));
    assert.equal(expected.length, POINTS);

    await t.step("kill mid-chain, then --resume", async () => {
      const out = join(root, "killed");
      const child = spawnCli(["sweep", "--config", CONFIG, "--out", out, "--quiet"], env);
      const results = join(out, "results.jsonl");
      // Kill once the first accuracy point is written: its chain has two more densities to go.
      const deadline = Date.now() + 120_000;
      while ((await countLines(results)) < 3 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
      }
      child.kill("SIGKILL");
      const status = await child.status;
      await child.stdout.cancel();
      await child.stderr.cancel();
      assert.equal(status.success, false, "the sweep was killed before it finished");
      const kept = await countLines(results);
      assert.ok(kept >= 3 && kept < POINTS, `killed after ${kept} of ${POINTS} points`);
      assert.ok(
        await exists(join(out, "checkpoints")),
        "the finished accuracy point left a checkpoint",
      );

      const resumed = await sweep("killed", "--resume", "--json");
      assert.equal(resumed.code, 0, resumed.stderr);
      const summary = JSON.parse(resumed.stdout);
      assert.equal(summary.points.alreadyDone, kept);
      assert.equal(summary.points.ran, POINTS - kept);
      assert.deepEqual(await stableResults(out), expected);
    });

    await t.step("--shard 0/2 and 1/2 merged equal the unsharded run", async () => {
      const a = await sweep("s0", "--shard", "0/2");
      const b = await sweep("s1", "--shard", "1/2");
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const na = await countLines(join(root, "s0/results.jsonl"));
      const nb = await countLines(join(root, "s1/results.jsonl"));
      assert.ok(na > 0 && nb > 0 && na + nb === POINTS, `${na} + ${nb}`);
      const merged = await cli([
        "merge",
        join(root, "s0"),
        join(root, "s1"),
        "--out",
        join(root, "merged"),
        "--json",
      ]);
      assert.equal(merged.code, 0, merged.stderr);
      assert.equal(JSON.parse(merged.stdout).missing, 0);
      assert.deepEqual(await stableResults(join(root, "merged")), expected);
      assert.ok(await exists(join(root, "merged/report.html")));
    });

    await t.step("one worker (--workers 1, no threads) equals the default pool", async () => {
      const one = await sweep("one", "--workers", "1");
      assert.equal(one.code, 0, one.stderr);
      assert.deepEqual(await stableResults(join(root, "one")), expected);
    });

    await t.step("--resume of a finished study runs nothing and keeps its results", async () => {
      const again = await sweep("full", "--resume", "--json");
      assert.equal(again.code, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).points.ran, 0);
      assert.deepEqual(await stableResults(join(root, "full")), expected);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

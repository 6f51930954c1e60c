import assert from "node:assert/strict";
import { testCatalog } from "../_test_catalog.ts";
import { studyFromText } from "../config/load.ts";
import { nextTask, type PoolTask, poolTasks } from "./pool_tasks.ts";
import { studyUnits } from "./points.ts";
import { workerCount } from "./pool.ts";

const CONFIG = `
name: pool
granularities: [0d, 2d]
encoders: [raw32]
accelerators: [macs]
seeds: [0, 1]
accuracy:
  models: [{ name: tiny }]
  densities: [0.5, 0.2]
weightFree:
  models: [tiny]
  densities: [0.5]
  seeds: [7]
`;

Deno.test("poolTasks() puts one baseline per model and seed first, then chains, then weight-free points", async () => {
  const study = await studyFromText(CONFIG, "pool.yaml", "/tmp", testCatalog());
  const tasks = poolTasks(studyUnits(study));
  assert.deepEqual(tasks.map((t) => `${t.kind} ${t.id}`), [
    "baseline baseline/tiny/s0",
    "baseline baseline/tiny/s1",
    "chain acc/tiny/0d/s0",
    "chain acc/tiny/2d/s0",
    "chain acc/tiny/0d/s1",
    "chain acc/tiny/2d/s1",
    "weight-free wf/tiny/0d/0.5/s7",
    "weight-free wf/tiny/2d/0.5/s7",
  ]);
  const chain = tasks.find((t) => t.id === "acc/tiny/2d/s1");
  assert.equal(chain?.kind === "chain" && chain.after, "baseline/tiny/s1");
});

Deno.test("nextTask() skips chains whose baseline has not finished", () => {
  const queue: PoolTask[] = [
    { kind: "chain", id: "c0", unit: "c0", after: "b0" },
    { kind: "chain", id: "c1", unit: "c1", after: "b1" },
    { kind: "weight-free", id: "w", unit: "w" },
  ];
  assert.equal(nextTask(queue, new Set()), 2);
  assert.equal(nextTask(queue, new Set(["b1"])), 1);
  assert.equal(nextTask(queue, new Set(["b0", "b1"])), 0);
  assert.equal(nextTask(queue.slice(0, 2), new Set()), -1);
  assert.equal(nextTask([], new Set()), -1);
});

Deno.test("workerCount() takes one worker per core, at most one per 2 GiB of memory", () => {
  const GiB = 1024 ** 3;
  assert.equal(workerCount(2, 24 * GiB), 2);
  assert.equal(workerCount(16, 8 * GiB), 4);
  assert.equal(workerCount(4, 1 * GiB), 1);
  assert.equal(workerCount(8, undefined), 8);
});

import assert from "node:assert/strict";
import { agp, iterative, oneShot } from "./schedule.ts";
import { ConfigError } from "./errors.ts";

Deno.test("agp() follows the Zhu & Gupta cubic and ends exactly at the target", () => {
  const steps = agp({ steps: 4 }).steps(0.1) as number[];
  const expected = [1, 2, 3, 4].map((t) => 0.1 + 0.9 * (1 - t / 4) ** 3);
  steps.forEach((d, i) => assert.ok(Math.abs(d - expected[i]) < 1e-12));
  assert.equal(steps[3], 0.1);
  const map = agp({ steps: 2 }).steps({ conv1: 0.5, fc: 0.1 }) as Record<string, number>[];
  assert.equal(map[1].conv1, 0.5);
  assert.ok(Math.abs(map[0].fc - (0.1 + 0.9 / 8)) < 1e-12);
});

Deno.test("iterative() and oneShot() list their steps; bad lists are rejected", () => {
  assert.deepEqual(oneShot().steps(0.2), [0.2]);
  assert.deepEqual(iterative([0.5, 0.3, 0.2]).steps(0.2), [0.5, 0.3, 0.2]);
  assert.throws(() => iterative([0.5, 0.6]), ConfigError);
  assert.throws(() => iterative([1.5]), ConfigError);
  assert.throws(() => agp({ steps: 0 }), ConfigError);
  assert.throws(() => iterative([0.5]).steps({ a: 0.1 }), ConfigError);
});

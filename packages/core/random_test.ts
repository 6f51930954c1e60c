import assert from "node:assert/strict";
import { heNormalWeights, seededRandom } from "./random.ts";

Deno.test("seededRandom() is deterministic per seed and uniform-looking", () => {
  const a = seededRandom(1);
  const values = Array.from({ length: 10000 }, a);
  assert.ok(values.every((v) => v >= 0 && v < 1));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  assert.ok(Math.abs(mean - 0.5) < 0.02);
  assert.notEqual(seededRandom(2)(), seededRandom(1)());
});

Deno.test("heNormalWeights() has He variance 2 / fan-in", () => {
  const w = heNormalWeights([3, 3, 32, 64], 5);
  let sq = 0;
  for (const v of w) sq += v * v;
  const variance = sq / w.length;
  assert.ok(Math.abs(variance - 2 / 288) / (2 / 288) < 0.05, `variance ${variance}`);
  assert.deepEqual(heNormalWeights([2, 3], 9), heNormalWeights([2, 3], 9));
});

import assert from "node:assert/strict";
import { blockGrains, ConfigError } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { randomSaliency } from "./random.ts";

const layer = (name: string) => ({
  name,
  kind: "dense" as const,
  shape: [64, 64],
  values: new Float32Array(4096),
});
const grains = blockGrains([64, 64], [1, 1]);

Deno.test("randomSaliency() is deterministic per seed and layer name, uniform in [0, 1)", () => {
  const a = randomSaliency({ seed: 5 }).score(layer("fc1"), grains);
  assert.deepEqual(randomSaliency({ seed: 5 }).score(layer("fc1"), grains), a);
  assert.notDeepEqual(randomSaliency({ seed: 6 }).score(layer("fc1"), grains), a);
  assert.notDeepEqual(randomSaliency({ seed: 5 }).score(layer("fc2"), grains), a);
  assert.ok(a.every((s) => s >= 0 && s < 1));
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(Math.abs(mean - 0.5) < 0.03, `mean ${mean}`);
  const distinct = new Set(a).size;
  assert.ok(distinct > 4000, `${distinct} distinct scores`);
  // it ignores the weights
  const other = { ...layer("fc1"), values: new Float32Array(4096).fill(3) };
  assert.deepEqual(randomSaliency({ seed: 5 }).score(other, grains), a);
});

Deno.test("randomSaliency() validates its seed", () => {
  assert.equal(randomSaliency().options?.seed, 0);
  for (const seed of [-1, 1.5, 2 ** 32, "7"]) {
    assert.throws(
      () => randomSaliency({ seed: seed as number }),
      (e: unknown) => e instanceof ConfigError && e.field === "random.seed",
    );
  }
  assert.throws(() => randomSaliency({ sed: 1 } as never), /unknown option/);
});

Deno.test("randomSaliency() conforms to the core kit", () => {
  assertSaliencyConforms(randomSaliency({ seed: 9 }));
});

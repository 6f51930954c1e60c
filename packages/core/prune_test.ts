import assert from "node:assert/strict";
import fc from "fast-check";
import { blockGrains } from "./block_grains.ts";
import { ConfigError, LayerError } from "./errors.ts";
import { countKeptPerGrain, reduceGrains } from "./grain_ops.ts";
import { pruneLayers } from "./prune.ts";
import type { Granularity, LayerWeights, SaliencyMetric } from "./types.ts";

const blocks = (pick: (shape: readonly number[]) => number[]): Granularity => ({
  name: "test-block",
  version: "0.0.0",
  describe: () => "block",
  partition: (layer) => blockGrains(layer.shape, pick(layer.shape)),
});
const kernels = blocks((s) => (s.length === 4 ? [s[0], s[1], 1, 1] : [1, 1]));
const elements = blocks((s) => s.map(() => 1));
const l1: SaliencyMetric = {
  name: "l1",
  version: "0.0.0",
  describe: () => "L1",
  score: (layer, grains) => reduceGrains(layer.values, grains, "sum-abs"),
};

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function conv(name: string, shape: number[], seed = 1): LayerWeights {
  const r = rng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => r() - 0.5);
  return { name, kind: "conv2d", shape, values };
}

Deno.test("pruneLayers() keeps exactly round(d * grains) grains and masks respect grains", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
      ),
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.integer(),
      (shape, density, seed) => {
        const layer = conv("c", shape, seed);
        const [r] = pruneLayers([layer], { granularity: kernels, saliency: l1, density });
        const expected = density >= 1
          ? r.grains.count
          : Math.max(1, Math.round(density * r.grains.count));
        assert.equal(r.keptGrains, expected);
        const counts = countKeptPerGrain(r.mask, r.grains);
        for (const c of counts) assert.ok(c === 0 || c === shape[0] * shape[1]);
        // every kept grain scores at least as high as every pruned one
        const scores = l1.score(layer, r.grains);
        let minKept = Infinity, maxPruned = -Infinity;
        counts.forEach((c, g) =>
          c > 0
            ? (minKept = Math.min(minKept, scores[g]))
            : (maxPruned = Math.max(maxPruned, scores[g]))
        );
        assert.ok(minKept >= maxPruned);
      },
    ),
    { seed: 3, numRuns: 200 },
  );
});

Deno.test("pruneLayers() breaks ties by grain index and is deterministic", () => {
  const layer: LayerWeights = {
    name: "fc",
    kind: "dense",
    shape: [2, 3],
    values: new Float32Array([1, 1, 1, 1, 1, 1]),
  };
  const [r] = pruneLayers([layer], { granularity: elements, saliency: l1, density: 0.5 });
  assert.deepEqual([...r.mask], [1, 1, 1, 0, 0, 0]);
});

Deno.test("pruneLayers() takes per-layer density maps, exclusions and previous masks", () => {
  const a = conv("conv1", [3, 3, 2, 4], 1);
  const b = conv("conv2", [3, 3, 4, 4], 2);
  const results = pruneLayers([a, b], {
    granularity: kernels,
    saliency: l1,
    density: { conv2: 0.25, "*": 0.5 },
    exclude: ["conv1"],
  });
  assert.equal(results[0].pruned, false);
  assert.equal(results[0].density, 1);
  assert.equal(results[1].keptGrains, 4);
  // a second step keeps only grains that survived the first
  const [again] = pruneLayers([b], {
    granularity: kernels,
    saliency: l1,
    density: 0.5,
    previous: { conv2: results[1].mask },
  });
  assert.equal(again.keptGrains, 4);
  assert.deepEqual([...again.mask], [...results[1].mask]);
});

Deno.test("pruneLayers() global scope ranks by size-normalised saliency across layers", () => {
  // conv "big" has large weights, "small" tiny ones: global 50% should prune "small" first
  const big: LayerWeights = {
    name: "big",
    kind: "dense",
    shape: [2, 2],
    values: new Float32Array([4, 5, 6, 7]),
  };
  const small: LayerWeights = {
    name: "small",
    kind: "dense",
    shape: [2, 2],
    values: new Float32Array([0.1, 0.2, 0.3, 0.4]),
  };
  const [rb, rs] = pruneLayers([big, small], {
    granularity: elements,
    saliency: l1,
    density: 0.5,
    scope: "global",
  });
  assert.equal(rb.density, 1);
  assert.equal(rs.density, 0);
});

Deno.test("pruneLayers() rejects bad densities and bad layers with typed errors", async (t) => {
  const layer = conv("conv1", [3, 3, 1, 2]);
  for (const density of [0, 1.5, -0.1, NaN]) {
    await t.step(`density ${density}`, () => {
      assert.throws(
        () => pruneLayers([layer], { granularity: kernels, saliency: l1, density }),
        ConfigError,
      );
    });
  }
  await t.step("missing map entry", () => {
    assert.throws(
      () => pruneLayers([layer], { granularity: kernels, saliency: l1, density: { conv9: 0.5 } }),
      /no entry for layer "conv1"/,
    );
  });
  await t.step("global with a map", () => {
    assert.throws(
      () =>
        pruneLayers([layer], {
          granularity: kernels,
          saliency: l1,
          density: { conv1: 0.5 },
          scope: "global",
        }),
      ConfigError,
    );
  });
  await t.step("NaN weights", () => {
    const bad = { ...layer, values: layer.values.slice().fill(NaN, 3, 4) };
    assert.throws(
      () => pruneLayers([bad], { granularity: kernels, saliency: l1, density: 0.5 }),
      LayerError,
    );
  });
  await t.step("duplicate names", () => {
    assert.throws(
      () => pruneLayers([layer, layer], { granularity: kernels, saliency: l1, density: 0.5 }),
      /share this name/,
    );
  });
});

import assert from "node:assert/strict";
import {
  blockGrains,
  ConfigError,
  heNormalWeights,
  pruneLayers,
  reduceGrains,
  seededRandom,
} from "@sparsegrain/core";
import type { Granularity, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";
import { fpgm, fpgmSaliency } from "./fpgm_saliency.ts";

/** 3-D filter grains `[kh, kw, cin, 1]` (dense layers: one output neuron `[in, 1]`). */
const filters: Granularity = {
  name: "filters",
  version: "1.0.0",
  describe: () => "filters",
  partition: (l) =>
    blockGrains(l.shape, l.kind === "dense" ? [l.shape[0], 1] : [...l.shape.slice(0, 3), 1]),
};

const l1: SaliencyMetric = {
  name: "l1",
  version: "1.0.0",
  describe: () => "L1",
  score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
};

/** A dense layer whose output neurons (columns) are the given vectors. */
function neurons(vectors: number[][]): LayerWeights {
  const inputs = vectors[0].length;
  const values = new Float32Array(inputs * vectors.length);
  vectors.forEach((v, o) => v.forEach((x, i) => (values[i * vectors.length + o] = x)));
  return { name: "fc", kind: "dense", shape: [inputs, vectors.length], values };
}

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance,
      `score ${i}: ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

Deno.test("fpgm passes the conformance kit", async (t) => {
  await t.step("elements and kernels", () => assertSaliencyConforms(fpgm));
  await t.step("filters", () => assertSaliencyConforms(fpgm, { granularity: filters }));
  await t.step(
    "pairwise, filters",
    () => assertSaliencyConforms(fpgmSaliency({ method: "pairwise" }), { granularity: filters }),
  );
  await t.step(
    "pairwise, kernels",
    () => assertSaliencyConforms(fpgmSaliency({ method: "pairwise" })),
  );
});

Deno.test("fpgm: distances to the geometric median, worked by hand", async (t) => {
  await t.step("collinear points: the median is the middle point", () => {
    const layer = neurons([[1, 1], [2, 1], [11, 1]]);
    close(fpgm.score(layer, filters.partition(layer)!), [1, 0, 9]);
  });
  await t.step("a square's corners and a point near its centre: that point is the median", () => {
    // a data point is the median when the unit vectors towards the others sum to length <= 1:
    // here the four corners nearly cancel
    const layer = neurons([[1, 1], [-1, 1], [-1, -1], [1, -1], [0.001, 0]]);
    close(fpgm.score(layer, filters.partition(layer)!), [
      Math.hypot(0.999, 1),
      Math.hypot(1.001, 1),
      Math.hypot(1.001, 1),
      Math.hypot(0.999, 1),
      0,
    ]);
  });
  await t.step("pairwise: sums of distances", () => {
    const layer = neurons([[1, 1], [2, 1], [11, 1]]);
    const scores = fpgmSaliency({ method: "pairwise" }).score(layer, filters.partition(layer)!);
    close(scores, [11, 10, 19]);
  });
  await t.step("single weights: |w - median(w)|", () => {
    const odd = neurons([[3], [-1], [4], [1.5], [2]]); // median 2
    close(fpgm.score(odd, blockGrains(odd.shape, [1, 1])), [1, 3, 2, 0.5, 0]);
    const even = neurons([[3], [-1], [4], [1.5]]); // median (1.5 + 3) / 2
    close(fpgm.score(even, blockGrains(even.shape, [1, 1])), [0.75, 3.25, 1.75, 0.75]);
  });
  await t.step("mixed grain sizes get one median per size", () => {
    // blocks of 2 along a row of 5: sizes 2, 2, 1; the lone single weight is its own median
    const layer = neurons([[1], [0], [3], [0], [7]]);
    const scores = fpgm.score(layer, blockGrains([1, 5], [1, 2]));
    // (1, 0) and (3, 0): every point between them is a median; Weiszfeld stays at the mean
    close(scores, [1, 1, 0]);
  });
});

Deno.test("fpgm: the median minimises the total distance (seeded random filters)", () => {
  const random = seededRandom(5);
  for (let run = 0; run < 20; run++) {
    const cout = 2 + Math.floor(random() * 12);
    const shape = [3, 3, 1 + Math.floor(random() * 4), cout];
    const layer: LayerWeights = {
      name: `c${run}`,
      kind: "conv2d",
      shape,
      values: heNormalWeights(shape, run),
    };
    const grains = filters.partition(layer)!;
    const toMedian = fpgm.score(layer, grains).reduce((a, b) => a + b, 0);
    // total distance to each filter is its pairwise sum; the median can do no worse
    const pairwise = fpgmSaliency({ method: "pairwise" }).score(layer, grains);
    assert.ok(toMedian <= Math.min(...pairwise) * (1 + 1e-6), `run ${run}: ${toMedian}`);
    // nor worse than the mean (Weiszfeld's starting point)
    const size = grains.maxSize;
    const mean = new Float64Array(size);
    const buffer = new Int32Array(size);
    for (let g = 0; g < cout; g++) {
      grains.elementsOf(g, buffer);
      buffer.forEach((e, t) => (mean[t] += layer.values[e] / cout));
    }
    let toMean = 0;
    for (let g = 0; g < cout; g++) {
      grains.elementsOf(g, buffer);
      toMean += Math.hypot(...Array.from(buffer, (e, t) => layer.values[e] - mean[t]));
    }
    assert.ok(toMedian <= toMean * (1 + 1e-6), `run ${run}: ${toMedian} > ${toMean}`);
  }
});

Deno.test("fpgm prunes the replaceable filter where L1 prunes a small one", () => {
  // three filters along the axes and one at the median (4, 4, 4): the largest by L1
  const layer = neurons([[10, 0, 0], [0, 10, 0], [0, 0, 10], [4, 4, 4]]);
  const prune = (saliency: SaliencyMetric) =>
    pruneLayers([layer], { granularity: filters, saliency, density: 0.75 })[0];
  const byFpgm = prune(fpgm);
  const byL1 = prune(l1);
  const keptNeurons = (mask: Uint8Array) => [0, 1, 2, 3].filter((o) => mask[o] + mask[4 + o] > 0);
  assert.deepEqual(keptNeurons(byFpgm.mask), [0, 1, 2]);
  assert.deepEqual(keptNeurons(byL1.mask), [0, 1, 3]);
  close(fpgm.score(layer, filters.partition(layer)!).subarray(3), [0]);
});

Deno.test("fpgm: all-zero grains score 0 and do not move the median", () => {
  const live = [[1, 1], [2, 1], [11, 1]];
  const withZeros = neurons([[0, 0], ...live, [0, 0]]);
  const scores = fpgm.score(withZeros, filters.partition(withZeros)!);
  close(scores, [0, 1, 0, 9, 0]);
});

Deno.test("fpgm: bad options throw ConfigError", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => fpgmSaliency({ method: "mean" as any }), ConfigError);
  assert.throws(() => fpgmSaliency({ maxIterations: 0 }), /maxIterations/);
  assert.throws(() => fpgmSaliency({ tolerance: 0 }), /tolerance/);
  assert.equal(fpgm.name, "fpgm");
});

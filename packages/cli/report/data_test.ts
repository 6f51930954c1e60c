import assert from "node:assert/strict";
import type { ResultLine } from "../results/schema.ts";
import { csvField } from "./csv.ts";
import {
  accuracyRows,
  baselineRows,
  decodeBits,
  encodeBits,
  isoAccuracyRows,
  maskRows,
  pictureDensity,
  prunedLayerSet,
  prunedSparsity,
  prunedStorage,
} from "./data.ts";

/** A storage record under the encoder "ri" holding only a stream length. */
function storage(bits: number) {
  return {
    ri: {
      bits,
      value: 0,
      index: 0,
      filler: 0,
      header: 0,
      padding: 0,
      fillers: 0,
      bitsPerKept: 0,
      compression: 0,
    },
  };
}

/** A hand-made accuracy point: only the fields the iso-accuracy table reads. */
function point(
  granularity: string,
  density: number,
  top1: number,
  top1q: number,
  bits: number,
): ResultLine {
  return {
    schema: "sparsegrain.results/1",
    configHash: "h",
    study: "s",
    point: `acc/m/${granularity}/${density}/s0`,
    index: 0,
    half: "accuracy",
    model: "m",
    granularity,
    saliency: "l1",
    densityLabel: String(density),
    targetDensity: density,
    seed: 0,
    plugins: [],
    timings: { startedAt: "", totalMs: 0 },
    metrics: {
      params: 100,
      kept: 100 * density,
      density,
      sparsity: 1 - density,
      macs: 0,
      accuracy: {
        top1,
        top1Quantized: top1q,
        quantizationBits: 8,
        baselineTop1: 0.9,
        baselineTop1Quantized: 0.9,
        testImages: 100,
      },
      storage: storage(bits),
      cost: {},
      activation: "measured",
      weights: "trained",
    },
    layers: [],
  };
}

Deno.test("isoAccuracyRows() picks the sparsest and the smallest point within each drop", () => {
  const lines = [
    point("0d", 0.5, 0.899, 0.898, 5000),
    point("0d", 0.3, 0.896, 0.893, 3000),
    point("0d", 0.1, 0.880, 0.870, 1500),
    point("3d", 0.5, 0.894, 0.890, 4000),
    point("3d", 0.3, 0.870, 0.869, 2500),
  ];
  const rows = isoAccuracyRows(lines, { drops: [0.5, 1] });
  const by = (g: string, d: number) => rows.find((r) => r.granularity === g && r.drop === d)!;
  assert.deepEqual([by("0d", 0.5).maxSparsity, by("0d", 0.5).minBits], [70, 5000]);
  assert.deepEqual([by("0d", 1).maxSparsity, by("0d", 1).minBits], [70, 3000]);
  assert.deepEqual([by("3d", 0.5).maxSparsity, by("3d", 0.5).minBits], [undefined, undefined]);
  assert.deepEqual([by("3d", 1).maxSparsity, by("3d", 1).minBitsDensity], [50, "0.5"]);
});

Deno.test("encodeBits() and decodeBits() round-trip any length", () => {
  for (const n of [0, 1, 7, 8, 9, 100]) {
    const bits = Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) % 5 < 2 ? 1 : 0);
    assert.deepEqual(decodeBits(encodeBits(bits), n), bits);
  }
});

Deno.test("maskRows() draws a pruned frame, then kept cells as horizontal runs", () => {
  const line = point("2d", 0.5, 0.9, 0.9, 1);
  const bits = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1]);
  const withPic = {
    ...line,
    maskPicture: {
      layer: "c",
      rows: 2,
      cols: 4,
      kernel: [1, 1] as [number, number],
      bits: encodeBits(bits),
    },
  };
  assert.deepEqual(maskRows([withPic]).map(({ cell, x, x2, y, y2 }) => [cell, x, x2, y, y2]), [
    ["pruned", 0, 4, 0, 2],
    ["kept", 0, 2, 0, 1],
    ["kept", 3, 4, 0, 1],
    ["kept", 2, 4, 1, 2],
  ]);
});

Deno.test("pictureDensity() prefers a density map, else the density nearest 0.3", () => {
  assert.equal(pictureDensity([point("0d", 0.5, 1, 1, 1), point("0d", 0.2, 1, 1, 1)], "m"), "0.2");
  const map = { ...point("0d", 0.1, 1, 1, 1), densityLabel: "han2015-vgg16" };
  assert.equal(pictureDensity([point("0d", 0.3, 1, 1, 1), map], "m"), "han2015-vgg16");
});

Deno.test("csvField() quotes commas, quotes and newlines", () => {
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(1.5), "1.5");
  assert.equal(csvField(undefined), "");
  assert.equal(csvField(NaN), "");
});

Deno.test("pruned-layer sparsity and storage leave the dense layers out; baselines are seed means", () => {
  const layer = (name: string, pruned: boolean, elements: number, kept: number, bits: number) => ({
    name,
    kind: "conv2d",
    shape: [elements],
    elements,
    kept,
    density: kept / elements,
    pruned,
    grains: elements,
    keptGrains: kept,
    zeros: {},
    activationDensity: 1,
    storage: storage(bits),
    cost: {},
  });
  const base = point("0d", 0.5, 0.8, 0.8, 999);
  const line: ResultLine = {
    ...base,
    layers: [layer("conv1", false, 100, 100, 1200), layer("conv2", true, 400, 100, 1000)],
  };
  const pruned = prunedLayerSet([line]);
  assert.deepEqual([...pruned], ["conv2"]);
  assert.equal(prunedSparsity(line, pruned), 0.75);
  assert.deepEqual(prunedStorage(line, "ri", pruned), {
    compression: (32 * 400) / 1000,
    bitsPerKept: 10,
  });
  // No pruned layer: the whole network's figures.
  assert.equal(prunedSparsity(base, new Set()), 0.5);
  assert.equal(prunedStorage(base, "ri", new Set()), base.metrics.storage.ri);
  const rows = accuracyRows([line], { drops: [1], primaryEncoder: "ri" });
  assert.equal(rows[0].sparsity, 75);
  assert.equal(rows[0].compression, 12.8);

  const seeded = (seed: number, top1: number): ResultLine => ({
    ...base,
    seed,
    metrics: {
      ...base.metrics,
      accuracy: { ...base.metrics.accuracy!, baselineTop1: top1, baselineTop1Quantized: top1 },
    },
  });
  const rowsBySeed = baselineRows([seeded(0, 0.8), seeded(1, 0.9), seeded(1, 0.9)]);
  assert.deepEqual(rowsBySeed.map((r) => [r.precision, r.top1]), [["float32", 85], ["8-bit", 85]]);
});

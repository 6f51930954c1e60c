import assert from "node:assert/strict";
import { blockGrains, expandGrainMask } from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import { parse } from "yaml";
import { sparseloopYaml } from "./sparseloop.ts";

const conv: LayerWeights = {
  name: "conv2",
  kind: "conv2d",
  shape: [5, 3, 4, 6],
  values: new Float32Array(360),
  geometry: {
    inputHeight: 12,
    inputWidth: 10,
    outputHeight: 6,
    outputWidth: 10,
    strides: [2, 1],
    dilation: [1, 1],
    padding: "same",
    groups: 2,
  },
};

// deno-lint-ignore no-explicit-any
type Doc = any;

Deno.test("sparseloopYaml() writes the problem shape, densities and the grain's weight format", async (t) => {
  const kernels = blockGrains(conv.shape, [5, 3, 1, 1]);
  const mask = expandGrainMask(
    Uint8Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? 1 : 0)),
    kernels,
  );
  const text = sparseloopYaml(conv, mask, kernels, { input: 0.4 }, { target: "WeightBuffer" });
  const doc: Doc = parse(text);
  await t.step("problem: Timeloop names (R = kernel width, P = output width) and groups", () => {
    assert.deepEqual(doc.problem.shape.dimensions, ["G", "C", "M", "R", "S", "N", "P", "Q"]);
    const i = doc.problem.instance;
    assert.deepEqual(
      [i.G, i.C, i.M, i.R, i.S, i.N, i.P, i.Q, i.Wstride, i.Hstride],
      [2, 4, 3, 3, 5, 1, 10, 6, 1, 2],
    );
  });
  await t.step("densities: the mask's weight density and the activation density", () => {
    assert.deepEqual(doc.problem.instance.densities, {
      Weights: { distribution: "fixed_structured", density: 0.25 },
      Inputs: { distribution: "hypergeometric", density: 0.4 },
    });
  });
  await t.step("format: one RLE index per kernel over output channels, kernels dense", () => {
    const target = doc.sparse_optimizations.targets[0];
    assert.equal(target.name, "WeightBuffer");
    const ranks = target.representation_format.data_spaces[0].ranks;
    assert.deepEqual(ranks.map((r: Doc) => r.format), ["UOP", "RLE", "UOP"]);
    assert.deepEqual(ranks[1].flattened_rank_ids, [["M"]]);
    assert.equal(ranks[1].metadata_word_bits, 4);
    assert.deepEqual(ranks[2].flattened_rank_ids, [["S", "R"]]);
  });
  await t.step("header: counts from the real mask", () => {
    assert.match(text, /kept weights 90 of 360/);
    assert.match(text, /stored fragments 6, filler entries 0/);
  });
});

Deno.test("sparseloopYaml() picks the row and element formats and handles dense layers", () => {
  const rows = blockGrains(conv.shape, [1, 3, 1, 1]);
  const all = new Uint8Array(360).fill(1);
  const rowDoc: Doc = parse(sparseloopYaml(conv, all, rows, { input: 1 }));
  const rowRanks =
    rowDoc.sparse_optimizations.targets[0].representation_format.data_spaces[0].ranks;
  assert.deepEqual(rowRanks[1].flattened_rank_ids, [["S", "M"]]);
  assert.deepEqual(rowRanks[2].flattened_rank_ids, [["R"]]);
  const fc = { name: "fc", kind: "dense" as const, shape: [40, 2], values: new Float32Array(80) };
  const mask = new Uint8Array(80);
  mask[0] = mask[79] = 1;
  const text = sparseloopYaml(fc, mask, blockGrains([40, 2], [1, 1]), { input: 1 }, {
    indexBits: 2,
  });
  const doc: Doc = parse(text);
  assert.deepEqual(doc.problem.shape.dimensions, ["C", "M", "R", "S", "N", "P", "Q"]);
  assert.equal(doc.problem.instance.C, 40);
  const ranks = doc.sparse_optimizations.targets[0].representation_format.data_spaces[0].ranks;
  assert.deepEqual(ranks.map((r: Doc) => r.format), ["UOP", "RLE"]);
  assert.equal(ranks[1].metadata_word_bits, 2);
  // Input channel 39 holds its kept weight after a run of one zero: no filler with 2-bit runs;
  // channels 1..38 hold nothing.
  assert.match(text, /stored fragments 2, filler entries 0/);
});

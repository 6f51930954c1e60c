import assert from "node:assert/strict";
import {
  blockGrains,
  ConfigError,
  expandGrainMask,
  heNormalWeights,
  LayerError,
  seededRandom,
} from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import { assertAcceleratorConforms, sampleLayers } from "@sparsegrain/core/testing";
import { cambriconX, cambriconXAccelerator, HOROWITZ_45NM } from "./cambricon_x_accelerator.ts";

function conv(shape: number[], out: number, groups = 1): LayerWeights {
  return {
    name: "conv",
    kind: "conv2d",
    shape,
    values: heNormalWeights(shape, 1),
    geometry: {
      inputHeight: out,
      inputWidth: out,
      outputHeight: out,
      outputWidth: out,
      strides: [1, 1],
      dilation: [1, 1],
      padding: "same",
      groups,
    },
  };
}

const fine = (l: LayerWeights) => blockGrains(l.shape, l.shape.map(() => 1));

Deno.test("cambricon-x passes the conformance kit", async (t) => {
  await t.step("default machine, sample layers", () => assertAcceleratorConforms(cambriconX));
  await t.step("a small machine, 1-bit indices (many fillers)", () =>
    assertAcceleratorConforms(
      cambriconXAccelerator({ pes: 3, multipliersPerPe: 2, indexBits: 1, name: "cx-small" }),
    ));
  await t.step(
    "grouped conv",
    () => assertAcceleratorConforms(cambriconX, { layers: [conv([3, 3, 4, 8], 5, 2)] }),
  );
});

Deno.test("cambricon-x: a tiny dense layer worked by hand", () => {
  // rows are inputs, columns outputs; nnz per output = 3, 1, 2
  // deno-fmt-ignore
  const mask = new Uint8Array([
    1, 1, 0,
    1, 0, 0,
    1, 0, 1,
    0, 0, 1,
  ]);
  const layer: LayerWeights = {
    name: "fc",
    kind: "dense",
    shape: [4, 3],
    values: new Float32Array(12).fill(1),
  };
  const model = cambriconXAccelerator({
    pes: 2,
    multipliersPerPe: 2,
    weightBits: 8,
    activationBits: 8,
    indexBits: 1,
  });
  const cost = model.evaluate(layer, mask, fine(layer), { input: 1 });
  assert.equal(cost.macs, 12);
  assert.equal(cost.products, 6);
  // PE group {0, 1}: max(ceil(3/2), ceil(1/2)) = 2; group {2}: ceil(2/2) = 1
  assert.equal(cost.cycles, 3);
  assert.equal(cost.utilisation, 6 / (3 * 4));
  assert.deepEqual(cost.references, {
    weight: 6,
    index: 6,
    inputActivation: 5, // row 0: group {0,1}; row 1: {0,1}; row 2: both; row 3: {2}
    accumulatorRead: 4, // ceil(3/2) + ceil(1/2) + ceil(2/2)
    accumulatorWrite: 4,
    outputWrite: 3,
  });
  // output 2 keeps rows 2 and 3: a gap of 2 zeros with 1-bit indices costs one filler
  assert.equal(cost.dramBytes, ((6 + 1) * 9) / 8 + 4 + 3);
  const e = HOROWITZ_45NM;
  const expected = {
    multiply: 6 * e.multiply,
    add: 6 * e.add,
    accumulator: 8 * e.register,
    weight: 6 * e.sram32 * (8 / 32),
    index: 6 * e.sram32 * (1 / 32),
    inputActivation: 5 * e.sram32 * (8 / 32),
    outputWrite: 3 * e.sram32 * (8 / 32),
    dram: (cost.dramBytes / 4) * e.dram32,
  };
  for (const [key, value] of Object.entries(expected)) {
    assert.ok(Math.abs(cost.energy[key] - value) < 1e-9, `${key}: ${cost.energy[key]} != ${value}`);
  }
  const sum = Object.values(expected).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(cost.totalEnergy - sum) < 1e-9);
});

Deno.test("cambricon-x: a dense conv layer uses the whole machine in lock step", () => {
  const layer = conv([3, 3, 2, 4], 4); // 18 weights per filter, 16 positions
  const all = new Uint8Array(layer.values.length).fill(1);
  const cost = cambriconX.evaluate(layer, all, fine(layer), { input: 1 });
  assert.equal(cost.macs, 72 * 16);
  assert.equal(cost.products, cost.macs);
  assert.equal(cost.cycles, 16 * Math.ceil(18 / 16));
  assert.equal(cost.references.inputActivation, 16 * 18);
  assert.equal(cost.references.outputWrite, 16 * 4);
});

Deno.test("cambricon-x: activation sparsity changes nothing", () => {
  for (const layer of sampleLayers(3)) {
    const random = seededRandom(4);
    const mask = new Uint8Array(layer.values.length).map(() => (random() < 0.4 ? 1 : 0));
    const dense = cambriconX.evaluate(layer, mask, fine(layer), { input: 1 });
    const sparse = cambriconX.evaluate(layer, mask, fine(layer), { input: 0.1 });
    assert.deepEqual(sparse, dense, layer.name);
  }
});

Deno.test("cambricon-x: unbalanced filters cost cycles at equal density", () => {
  const layer = conv([3, 3, 16, 16], 8);
  const kernels = blockGrains(layer.shape, [3, 3, 1, 1]); // kernel k = i * 16 + o
  // balanced: every filter keeps 4 of its 16 kernels; unbalanced: 4 filters keep all 16
  const balanced = new Uint8Array(kernels.count).map((_, k) => ((k >> 4) % 4 === 0 ? 1 : 0));
  const unbalanced = new Uint8Array(kernels.count).map((_, k) => ((k & 15) < 4 ? 1 : 0));
  const cost = (grainMask: Uint8Array) =>
    cambriconX.evaluate(layer, expandGrainMask(grainMask, kernels), kernels, { input: 1 });
  const a = cost(balanced);
  const b = cost(unbalanced);
  assert.equal(a.products, b.products);
  assert.equal(a.cycles, 64 * Math.ceil(36 / 16)); // 3 cycles per position
  assert.equal(b.cycles, 64 * Math.ceil(144 / 16)); // 9: the group waits for the full filters
  assert.ok(b.utilisation < a.utilisation);
});

Deno.test("cambricon-x: sparsity aligned across the PE group selects fewer inputs", () => {
  // equal density 0.25: input channels pruned for all filters (aligned) vs weights at random
  const layer = conv([3, 3, 16, 16], 8);
  const channels = blockGrains(layer.shape, [3, 3, 1, 16]);
  const aligned = expandGrainMask(
    new Uint8Array(channels.count).map((_, i) => (i % 4 === 0 ? 1 : 0)),
    channels,
  );
  const random = seededRandom(8);
  const scattered = new Uint8Array(layer.values.length).map(() => (random() < 0.25 ? 1 : 0));
  const a = cambriconX.evaluate(layer, aligned, channels, { input: 1 });
  const s = cambriconX.evaluate(layer, scattered, fine(layer), { input: 1 });
  assert.equal(a.references.inputActivation, 64 * 9 * 4);
  assert.ok(s.references.inputActivation > 3 * a.references.inputActivation);
});

Deno.test("cambricon-x: bad inputs and options are user errors", () => {
  const layer = conv([3, 3, 2, 4], 4);
  assert.throws(
    () => cambriconX.evaluate(layer, new Uint8Array(3), fine(layer), { input: 1 }),
    LayerError,
  );
  assert.throws(() => cambriconXAccelerator({ pes: 0 }), ConfigError);
  assert.throws(() => cambriconXAccelerator({ energy: { multiply: -1 } }), /energy\.multiply/);
  assert.throws(
    () =>
      cambriconX.evaluate(conv([3, 3, 2, 5], 4, 2), new Uint8Array(90), fine(layer), { input: 1 }),
    /groups/,
  );
});

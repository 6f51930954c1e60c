import assert from "node:assert/strict";
import {
  blockGrains,
  ConfigError,
  expandGrainMask,
  heNormalWeights,
  LayerError,
  reduceGrains,
  selectTopK,
} from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import { assertAcceleratorConforms } from "@sparsegrain/core/testing";
import { TINY_CONV as tiny } from "./_test_layers.ts";
import { scnnModel } from "./scnn.ts";

/**
 * The hand-worked tiny layer (TINY_CONV): one 3x3 kernel (1 input, 1 output channel) on a 4x4
 * input, "valid", stride 1, so a 2x2 output, on one PE (peRows = peCols = 1), F = I = 4, defaults
 * otherwise (16-bit weights, 4-bit indices, 24-bit accumulators, Horowitz energies).
 *
 * Every tap meets 2 output rows x 2 output columns = 4 outputs. The 4x4 input tile is 16
 * positions; at activation density 1 the PE fetches ceil(16 / 4) = 4 activation vectors.
 * The PE's accumulator footprint is the 4 outputs; no halo.
 */
const onePe = scnnModel({ peRows: 1, peCols: 1 });

Deno.test("scnn counts the hand-worked tiny layer exactly: 0-D mask keeping taps 0, 1, 4, 8", () => {
  // Kept taps (r, s): (0,0), (0,1), (1,1), (2,2). Stream order is tap order: kept at positions
  // 0, 1, 4, 8, zero runs 0, 0, 2, 3 (none reaches 16: no fillers).
  const mask = Uint8Array.from([1, 1, 0, 0, 1, 0, 0, 0, 1]);
  const cost = onePe.evaluate(tiny, mask, blockGrains([3, 3, 1, 1], [1, 1, 1, 1]), { input: 1 });
  assert.equal(cost.macs, 36); // 9 taps x 4 outputs
  assert.equal(cost.products, 16); // 4 kept x 4 outputs
  assert.equal(cost.issuedProducts, 64); // 4 weights x 16 positions, 48 land outside the output
  assert.equal(cost.cycles, 4); // ceil(4 / F) weight vectors x 4 activation vectors
  assert.equal(cost.utilisation, 16 / (4 * 16));
  assert.deepEqual(cost.references, {
    weight: 16, // 4 entries, read once per activation vector
    index: 16, // one index per kept weight, same reads
    inputActivation: 16, // 16 positions read once (one output-channel chunk)
    accumulatorRead: 20, // 16 read-modify-writes + 4 drained at the end of the chunk
    accumulatorWrite: 16,
    outputWrite: 4,
  });
  assert.equal(cost.fillers, 0);
  assert.equal(cost.dramBytes, 10); // (4 x 16 + 4 x 4) bits of weights and indices
  const energy = {
    multiply: 64 * 3.1,
    add: 16 * 0.1,
    weight: 16 * 16 / 32 * 1,
    index: 16 * 4 / 32 * 1,
    inputActivation: 16 * 20 / 32 * 5, // 16-bit value + 4-bit index
    accumulatorRead: 20 * 24 / 32 * 5,
    accumulatorWrite: 16 * 24 / 32 * 5,
    outputWrite: 4 * 16 / 32 * 5,
    dram: 10 * 8 / 32 * 640,
  };
  assert.deepEqual(cost.energy, energy);
  assert.ok(Math.abs(cost.totalEnergy - 2005) < 1e-9, `${cost.totalEnergy}`);

  // At activation density 1/2 the linear counts halve.
  const half = onePe.evaluate(tiny, mask, blockGrains([3, 3, 1, 1], [1, 1, 1, 1]), { input: 0.5 });
  assert.equal(half.products, 8);
  assert.equal(half.references.inputActivation, 8);
  assert.equal(half.references.accumulatorRead, 8 + 4);
});

Deno.test("scnn counts the hand-worked tiny layer exactly: kernel rows 0 and 2 kept as 1-D grains", () => {
  const rows = blockGrains([3, 3, 1, 1], [1, 3, 1, 1]);
  const mask = expandGrainMask(Uint8Array.from([1, 0, 1]), rows);
  const cost = onePe.evaluate(tiny, mask, rows, { input: 1 });
  assert.equal(cost.products, 24); // 6 kept x 4 outputs
  assert.equal(cost.cycles, 8); // ceil(6 / 4) = 2 weight vectors x 4 activation vectors
  // A kept row and one activation in column x land on outputs: x=0 -> {0}, x=1 -> {0,1},
  // x=2 -> {0,1}, x=3 -> {1}; each set is one access with a 4-entry port, and 2 input rows
  // reach a valid output row per kernel row: 2 x 4 = 8 accesses per row, 16 for both.
  assert.deepEqual(cost.references, {
    weight: 24,
    index: 8, // two row entries, each read once per activation vector
    inputActivation: 16,
    accumulatorRead: 16 + 4,
    accumulatorWrite: 16,
    outputWrite: 4,
  });
  // The same six weights as a 0-D mask: no merging, one index per weight.
  const fine = onePe.evaluate(tiny, mask, blockGrains([3, 3, 1, 1], [1, 1, 1, 1]), { input: 1 });
  assert.equal(fine.products, 24);
  assert.equal(fine.references.index, 24);
  assert.equal(fine.references.accumulatorRead, 24 + 4);
  assert.equal(fine.references.accumulatorWrite, 24);
  // Merging policy "none" gives back the fine-grained accumulator traffic.
  const unmerged = scnnModel({ peRows: 1, peCols: 1, merge: "none" }).evaluate(tiny, mask, rows, {
    input: 1,
  });
  assert.equal(unmerged.references.accumulatorWrite, 24);
});

Deno.test("scnn fillers: a zero run of 16 weights costs a placeholder entry", () => {
  const fc: LayerWeights = {
    name: "fc",
    kind: "dense",
    shape: [1, 40],
    values: new Float32Array(40),
  };
  const mask = new Uint8Array(40);
  mask[0] = 1;
  mask[17] = 1; // run of 16 zeros before it: 1 filler
  mask[39] = 1; // run of 21: 1 filler
  const cost = scnnModel().evaluate(fc, mask, blockGrains([1, 40], [1, 1]), { input: 1 });
  assert.equal(cost.fillers, 2);
  assert.equal(cost.weightEntries, 5);
  assert.equal(cost.products, 3);
  // 3 bits with indexBits 2 (runs of at most 3): 16 / 4 + 21 / 4 = 4 + 5 fillers.
  const narrow = scnnModel({ indexBits: 2 }).evaluate(fc, mask, blockGrains([1, 40], [1, 1]), {
    input: 1,
  });
  assert.equal(narrow.fillers, 9);
});

const vgg3: LayerWeights = {
  name: "conv3_1",
  kind: "conv2d",
  shape: [3, 3, 32, 64],
  values: heNormalWeights([3, 3, 32, 64], 3),
  geometry: {
    inputHeight: 28,
    inputWidth: 28,
    outputHeight: 28,
    outputWidth: 28,
    strides: [1, 1],
    dilation: [1, 1],
    padding: "same",
    groups: 1,
  },
};

Deno.test("scnn at weight and activation density 1 performs exactly the dense MACs", () => {
  const all = new Uint8Array(vgg3.values.length).fill(1);
  for (const block of [[1, 1, 1, 1], [1, 3, 1, 1], [3, 3, 1, 1], [3, 3, 32, 1]]) {
    const cost = scnnModel().evaluate(vgg3, all, blockGrains(vgg3.shape, block), { input: 1 });
    assert.equal(cost.products, cost.macs);
    assert.equal(cost.macs, 3 * 3 * 32 * 64 * 28 * 28);
  }
});

Deno.test("scnn counts fall monotonically as the weight density falls, at every granularity", () => {
  for (const block of [[1, 1, 1, 1], [1, 3, 1, 1], [3, 3, 1, 1], [3, 3, 32, 1]]) {
    const grains = blockGrains(vgg3.shape, block);
    const scores = reduceGrains(vgg3.values, grains, "sum-abs");
    let previous: ReturnType<ReturnType<typeof scnnModel>["evaluate"]> | undefined;
    let eligible: Uint8Array | undefined;
    for (const density of [1, 0.8, 0.6, 0.4, 0.25, 0.1, 0.03]) {
      const keep = selectTopK(scores, Math.max(1, Math.round(density * grains.count)), eligible);
      eligible = keep;
      const cost = scnnModel().evaluate(vgg3, expandGrainMask(keep, grains), grains, {
        input: 0.5,
      });
      if (previous) {
        for (const key of ["products", "cycles", "dramBytes", "totalEnergy"] as const) {
          assert.ok(cost[key] <= previous[key], `${block} ${density}: ${key} rose`);
        }
        for (const [kind, value] of Object.entries(cost.references)) {
          assert.ok(
            value <= previous.references[kind as keyof typeof cost.references],
            `${block} ${density}: ${kind} rose`,
          );
        }
        assert.ok(cost.products < previous.products, `${block} ${density}: products must fall`);
      }
      previous = cost;
    }
  }
});

Deno.test("coarse grains save index reads and accumulator accesses at equal density", () => {
  const results = new Map<string, number>();
  for (
    const [label, block] of [["0-D", [1, 1, 1, 1]], ["1-D", [1, 3, 1, 1]], ["2-D", [
      3,
      3,
      1,
      1,
    ]]] as const
  ) {
    const grains = blockGrains(vgg3.shape, block);
    const keep = selectTopK(
      reduceGrains(vgg3.values, grains, "sum-abs"),
      Math.round(0.35 * grains.count),
    );
    const cost = scnnModel().evaluate(vgg3, expandGrainMask(keep, grains), grains, { input: 0.5 });
    const r = cost.references;
    results.set(`${label} index`, r.index);
    results.set(`${label} acc`, r.accumulatorRead + r.accumulatorWrite);
  }
  assert.ok(results.get("1-D index")! < results.get("0-D index")! / 2.5);
  assert.ok(results.get("2-D index")! < results.get("1-D index")! / 2.5);
  assert.ok(results.get("1-D acc")! < results.get("0-D acc")! / 2);
});

Deno.test("scnn passes the core accelerator conformance kit", () => {
  assertAcceleratorConforms(scnnModel());
  assertAcceleratorConforms(scnnModel({ merge: "none", countPadding: true, peRows: 2, peCols: 3 }));
});

Deno.test("scnn rejects bad input with typed errors naming the layer and the field", async (t) => {
  const grains = blockGrains(vgg3.shape, [1, 1, 1, 1]);
  const all = new Uint8Array(vgg3.values.length).fill(1);
  const layerError = (field: string) => (e: unknown) => {
    assert.ok(e instanceof LayerError, String(e));
    assert.equal(e.layer, "conv3_1");
    assert.equal(e.field, field);
    return true;
  };
  await t.step("geometry that does not match the weight shape", () => {
    const bad = { ...vgg3, geometry: { ...vgg3.geometry!, outputHeight: 26 } };
    assert.throws(
      () => scnnModel().evaluate(bad, all, grains, { input: 1 }),
      layerError("geometry.outputHeight"),
    );
  });
  await t.step("activation density outside [0, 1]", () => {
    assert.throws(
      () => scnnModel().evaluate(vgg3, all, grains, { input: 1.2 }),
      layerError("activation.input"),
    );
    assert.throws(
      () => scnnModel().evaluate(vgg3, all, grains, { input: Number.NaN }),
      layerError("activation.input"),
    );
    assert.throws(
      () =>
        scnnModel().evaluate(vgg3, all, grains, {
          input: 0.5,
          perChannel: new Float32Array(32).fill(-0.1),
        }),
      layerError("activation.perChannel"),
    );
    assert.throws(
      () =>
        scnnModel().evaluate(vgg3, all, grains, { input: 0.5, perChannel: new Float32Array(31) }),
      layerError("activation.perChannel"),
    );
  });
  await t.step("a mask of the wrong length or with values other than 0 and 1", () => {
    assert.throws(
      () => scnnModel().evaluate(vgg3, all.subarray(1), grains, { input: 1 }),
      layerError("mask"),
    );
    const two = all.slice();
    two[5] = 2;
    assert.throws(() => scnnModel().evaluate(vgg3, two, grains, { input: 1 }), layerError("mask"));
  });
  await t.step("grains of another tensor", () => {
    assert.throws(
      () =>
        scnnModel().evaluate(vgg3, all, blockGrains([3, 3, 64, 32], [1, 1, 1, 1]), { input: 1 }),
      layerError("grains"),
    );
  });
  await t.step("parameters that cannot fit the accumulators", () => {
    // A 28x28 input on one PE needs a 28 x 28 = 784-entry footprint per output channel.
    assert.throws(
      () =>
        scnnModel({ peRows: 1, peCols: 1, accumulatorBanks: 8 }).evaluate(vgg3, all, grains, {
          input: 1,
        }),
      layerError("geometry"),
    );
    // 8x8 PEs: 4x4 tiles with halos are 6x6 = 36 entries; 40 channels need 1,440 > 1,024.
    assert.throws(
      () => scnnModel({ kc: 40 }).evaluate(vgg3, all, grains, { input: 1 }),
      layerError("kc"),
    );
    assert.equal(scnnModel({ kc: 28 }).evaluate(vgg3, all, grains, { input: 1 }).kc, 28);
  });
  await t.step("unknown options and energy-table keys", () => {
    assert.throws(() => scnnModel({ energyTable: { sram32: 5 } }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.field, "scnn.energyTable.sram32");
      assert.match(
        e.message,
        /"sram32".*"intAdd", "floatAdd", "registerFile", "intMult", "floatMult", "sram", "dram"/,
      );
      return true;
    });
    assert.throws(
      () => scnnModel({ pes: 64 } as never),
      (e: unknown) => e instanceof ConfigError && e.field === "scnn.pes",
    );
    assert.throws(
      () => scnnModel({ merge: "all" as never }),
      (e: unknown) => e instanceof ConfigError && e.field === "scnn.merge",
    );
    assert.throws(
      () => scnnModel({ peRows: 0 }),
      (e: unknown) => e instanceof ConfigError && e.field === "scnn.peRows",
    );
  });
});

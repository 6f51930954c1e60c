import assert from "node:assert/strict";
import { blockGrains } from "../block_grains.ts";
import { reduceGrains } from "../grain_ops.ts";
import { BitWriter } from "../bits.ts";
import { quantizeLinear } from "../quantize.ts";
import type { AcceleratorModel, Encoder, Granularity, SaliencyMetric } from "../types.ts";
import {
  assertAcceleratorConforms,
  assertEncoderConforms,
  assertGranularityConforms,
  assertSaliencyConforms,
} from "./mod.ts";

const rows: Granularity = {
  name: "rows",
  version: "1.0.0",
  describe: () => "rows",
  partition: (l) =>
    l.kind === "dense" ? blockGrains(l.shape, [1, 1]) : blockGrains(l.shape, [1, l.shape[1], 1, 1]),
};

Deno.test("assertGranularityConforms() accepts a correct partition and catches a broken one", () => {
  assertGranularityConforms(rows);
  const broken: Granularity = {
    ...rows,
    name: "broken",
    partition(layer) {
      const g = rows.partition(layer)!;
      return { ...g, elementGrain: () => new Int32Array(g.elements) }; // everything in grain 0
    },
  };
  assert.throws(() => assertGranularityConforms(broken), /disagrees/);
});

Deno.test("assertSaliencyConforms() catches negative and wrongly sized scores", () => {
  const l1: SaliencyMetric = {
    name: "l1",
    version: "1.0.0",
    describe: () => "L1",
    score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
  };
  assertSaliencyConforms(l1);
  assert.throws(
    () =>
      assertSaliencyConforms({
        ...l1,
        score: (l, g) => reduceGrains(l.values, g, "sum-abs").map((v) => -v - 1),
      }),
    /score 0 is/,
  );
  assert.throws(
    () => assertSaliencyConforms({ ...l1, score: () => new Float32Array(1) }),
    /one score per grain/,
  );
});

Deno.test("assertEncoderConforms() catches a stream whose size is misreported", () => {
  const lying: Encoder = {
    name: "lying",
    version: "1.0.0",
    describe: () => "reports one bit too many",
    encode(layer, mask) {
      const w = new BitWriter();
      w.write(layer.values.length, 32);
      const bytes = w.finish();
      return {
        encoder: "lying",
        layer: layer.name,
        bytes,
        keptGrains: mask.reduce((a, b) => a + b, 0),
        fillers: 0,
        bits: { value: 1, index: 0, filler: 0, header: 32, padding: 0, total: 33 },
        quantization: quantizeLinear(layer.values, mask, 32).report,
      };
    },
    decode: (_bytes, grains) => new Float32Array(grains.elements),
  };
  assert.throws(
    () => assertEncoderConforms(lying, { runs: 3 }),
    /bits.total is not the stream length/,
  );
});

Deno.test("assertAcceleratorConforms() catches counts that rise as density falls", () => {
  const perverse: AcceleratorModel = {
    name: "perverse",
    version: "1.0.0",
    describe: () => "counts pruned weights",
    evaluate(layer, mask) {
      const macs = layer.values.length *
        (layer.geometry ? layer.geometry.outputHeight * layer.geometry.outputWidth : 1);
      let pruned = 0;
      for (const m of mask) pruned += 1 - m;
      const references = {
        weight: pruned,
        index: 0,
        inputActivation: 0,
        accumulatorRead: 0,
        accumulatorWrite: 0,
        outputWrite: 0,
      };
      return {
        layer: layer.name,
        accelerator: "perverse",
        macs,
        products: macs,
        cycles: 1,
        utilisation: 1,
        references,
        dramBytes: 0,
        energy: {},
        totalEnergy: 0,
      };
    },
  };
  assert.throws(() => assertAcceleratorConforms(perverse), /references.weight rose/);
});

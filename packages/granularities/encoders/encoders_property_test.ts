// Property tests (fast-check, seeded) over every built-in encoder and granularity: random layer
// shapes and kinds, random grain masks at random densities, random value and index widths.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  countKeptPerGrain,
  expandGrainMask,
  grainSizes,
  heNormalWeights,
  quantizeLinear,
} from "@sparsegrain/core";
import type { Grains, Granularity, LayerKind, LayerWeights } from "@sparsegrain/core";
import { createGranularity } from "../create_granularity.ts";
import { bitmaskEncoder } from "./bitmask.ts";
import { csrEncoder } from "./csr.ts";
import { denseEncoder } from "./dense.ts";
import { relativeIndexEncoder } from "./relative_index.ts";
import { encodeRelativeIndex } from "./_relative_index_encode.ts";
import { sameBits } from "./_test_streams.ts";

const layerArb = fc.oneof(
  fc.tuple(
    fc.constant("conv2d" as LayerKind),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 12 }),
  ),
  fc.tuple(
    fc.constant("depthwise" as LayerKind),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 3 }),
  ),
  fc.tuple(
    fc.constant("dense" as LayerKind),
    fc.integer({ min: 1, max: 40 }),
    fc.integer({ min: 1, max: 40 }),
    fc.constant(0),
    fc.constant(0),
  ),
).map(([kind, a, b, c, d]): LayerWeights => {
  const shape = kind === "dense" ? [a, b] : [a, b, c, d];
  return {
    name: `${kind}-${shape.join("x")}`,
    kind,
    shape,
    values: heNormalWeights(shape, a * 31 + b),
  };
});

const granularityArb: fc.Arbitrary<Granularity> = fc.oneof(
  fc.constantFrom("0d", "2d", "3d", "channel").map((name) => createGranularity(name)),
  fc.constantFrom("row", "column").map((axis) => createGranularity("1d", { axis })),
  fc.tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 5 }),
  )
    .map((block) => createGranularity("block", { block })),
  fc.constantFrom("neuron", "element").map((dense) => createGranularity("3d", { dense })),
);

const encoderArb = fc.oneof(
  fc.tuple(
    fc.oneof(fc.integer({ min: 2, max: 16 }), fc.constant(32)),
    fc.integer({ min: 1, max: 8 }),
  )
    .map(([valueBits, indexBits]) => relativeIndexEncoder({ valueBits, indexBits })),
  fc.constantFrom(8, 16, 32).map((valueBits) => denseEncoder({ valueBits: valueBits as 8 })),
  fc.oneof(fc.integer({ min: 2, max: 16 }), fc.constant(32)).map((valueBits) =>
    bitmaskEncoder({ valueBits })
  ),
  fc.oneof(fc.integer({ min: 2, max: 16 }), fc.constant(32)).map((valueBits) =>
    csrEncoder({ valueBits })
  ),
);

const densityArb = fc.oneof(
  fc.constantFrom(0, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: 0, max: 0.08, noNaN: true }),
);

Deno.test("every encoder round-trips to quantizeLinear's masked tensor, bit for bit (fast-check)", () => {
  fc.assert(
    fc.property(
      layerArb,
      granularityArb,
      encoderArb,
      densityArb,
      fc.integer(),
      (layer, granularity, encoder, density, seed) => {
        const grains = granularity.partition(layer);
        if (grains === undefined) return;
        let state = seed >>> 0;
        const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
        const grainMask = new Uint8Array(grains.count).map(() => (random() < density ? 1 : 0));
        const mask = expandGrainMask(grainMask, grains);
        const encoded = encoder.encode(layer, mask, grains);
        const bits = encoded.bits;
        assert.equal(bits.total, encoded.bytes.length * 8);
        assert.equal(
          bits.value + bits.index + bits.filler + bits.header + bits.padding,
          bits.total,
        );
        assert.ok(bits.padding >= 0 && bits.padding < 8);
        assert.equal(encoded.keptGrains, grainMask.reduce((a, b) => a + b, 0));
        const valueBits = encoder.options!.valueBits as number;
        const expected = quantizeLinear(layer.values, mask, valueBits);
        assert.ok(
          sameBits(encoder.decode(encoded.bytes, grains), expected.values),
          `${encoder.name} ${granularity.describe()} ${layer.name}`,
        );
        assert.equal(encoded.quantization.maxAbsError, expected.report.maxAbsError);
        assert.equal(encoded.quantization.scale, expected.report.scale);
      },
    ),
    { seed: 1705, numRuns: 400 },
  );
});

Deno.test("masks expanded from random grain masks respect the grains (fast-check)", () => {
  fc.assert(
    fc.property(layerArb, granularityArb, densityArb, (layer, granularity, density) => {
      const grains = granularity.partition(layer);
      if (grains === undefined) return;
      const grainMask = new Uint8Array(grains.count).map((_, g) =>
        ((g * 2654435761) % 1000) / 1000 < density ? 1 : 0
      );
      const kept = countKeptPerGrain(expandGrainMask(grainMask, grains), grains);
      const sizes = grainSizes(grains);
      for (let g = 0; g < grains.count; g++) assert.equal(kept[g], grainMask[g] ? sizes[g] : 0);
    }),
    { seed: 99, numRuns: 300 },
  );
});

Deno.test("relative-index fast and reference writers agree on random layers (fast-check)", () => {
  fc.assert(
    fc.property(
      layerArb,
      granularityArb,
      densityArb,
      fc.integer({ min: 2, max: 16 }),
      fc.integer({ min: 1, max: 16 }),
      (layer, granularity, density, valueBits, indexBits) => {
        const grains = granularity.partition(layer);
        if (grains === undefined) return;
        const grainMask = new Uint8Array(grains.count).map((_, g) =>
          ((g * 40503) % 997) / 997 < density ? 1 : 0
        );
        const mask = expandGrainMask(grainMask, grains);
        const fast = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "fast");
        const general = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "general");
        assert.deepEqual(fast.bytes, general.bytes);
        // the fillers follow the documented formula on element grains
        if (grains.maxSize === 1) {
          let gap = 0;
          let fillers = 0;
          for (const m of grainMask) {
            if (m) {
              fillers += Math.floor(gap / 2 ** indexBits);
              gap = 0;
            } else gap++;
          }
          assert.equal(fast.fillers, fillers);
        }
      },
    ),
    { seed: 7, numRuns: 300 },
  );
});

Deno.test("every encoder handles grains without a block layout (a plugin's own partition)", () => {
  const layer = testLayerFor([3, 3, 5, 4]);
  // grains of 2 to 3 scattered elements: element e is in grain e % 17
  const count = 17;
  const elements = layer.values.length;
  const grains: Grains = {
    count,
    elements,
    maxSize: Math.ceil(elements / count),
    elementsOf(grain: number, out: Int32Array): number {
      let n = 0;
      for (let e = grain; e < elements; e += count) out[n++] = e;
      return n;
    },
    elementGrain: () => new Int32Array(elements).map((_, e) => e % count),
  };
  for (const density of [0, 0.1, 0.5, 1]) {
    const grainMask = new Uint8Array(count).map((_, g) => ((g * 7) % 10) / 10 < density ? 1 : 0);
    const mask = expandGrainMask(grainMask, grains);
    for (
      const encoder of [
        relativeIndexEncoder({ indexBits: 2 }),
        denseEncoder(),
        bitmaskEncoder(),
        csrEncoder(),
      ]
    ) {
      const encoded = encoder.encode(layer, mask, grains);
      assert.equal(encoded.keptGrains, grainMask.reduce((a, b) => a + b, 0));
      assert.ok(
        sameBits(
          encoder.decode(encoded.bytes, grains),
          quantizeLinear(layer.values, mask, 8).values,
        ),
      );
    }
  }
});

function testLayerFor(shape: number[]): LayerWeights {
  return { name: "custom", kind: "conv2d", shape, values: heNormalWeights(shape, 77) };
}

// Property tests (fast-check, seeded) over every built-in encoder and granularity: random layer
// shapes and kinds, random grain masks at random densities, random value and index widths.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  countKeptPerGrain,
  expandGrainMask,
  grainSizes,
  heNormalWeights,
  LayerError,
  quantizeLinear,
} from "@sparsegrain/core";
import type { Grains, Granularity, LayerKind, LayerWeights, Mask } from "@sparsegrain/core";
import { createGranularity } from "../create_granularity.ts";
import { bitmaskEncoder } from "./bitmask.ts";
import { csrEncoder } from "./csr.ts";
import { denseEncoder } from "./dense.ts";
import { relativeIndexEncoder } from "./relative_index.ts";
import { encodeBitmask } from "./_bitmask_encode.ts";
import { encodeCsr } from "./_csr_encode.ts";
import { encodeDense } from "./_dense_encode.ts";
import { encodeRelativeIndex } from "./_relative_index_encode.ts";
import { assertDecodesToQuantised, sameBits } from "./_test_streams.ts";

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

/** A keep mask over `grains` from a grain mask, kept entries any non-zero byte, at `offset`. */
function expandedMask(grainMask: Uint8Array, grains: Grains, offset: number, keep: number): Mask {
  const plain = expandGrainMask(grainMask, grains);
  const mask = new Uint8Array(plain.length + offset).subarray(offset);
  for (let e = 0; e < plain.length; e++) mask[e] = plain[e] ? 1 + ((e * keep) % 255) : 0;
  return mask;
}

Deno.test("relative-index memory-order, grain-order and reference writers agree (fast-check)", () => {
  fc.assert(
    fc.property(
      layerArb,
      granularityArb,
      densityArb,
      fc.integer({ min: 2, max: 16 }),
      fc.integer({ min: 1, max: 16 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 254 }),
      (layer, granularity, density, valueBits, indexBits, offset, keep) => {
        const grains = granularity.partition(layer);
        if (grains === undefined) return;
        const grainMask = new Uint8Array(grains.count).map((_, g) =>
          ((g * 40503) % 997) / 997 < density ? 1 : 0
        );
        const mask = expandedMask(grainMask, grains, offset, keep);
        const general = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "general");
        for (const path of ["fast", "memory-order", "grain-order"] as const) {
          const other = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, path);
          assert.deepEqual(other.bytes, general.bytes, path);
          assert.deepEqual(other.bits, general.bits, path);
          assert.equal(other.fillers, general.fillers, path);
          assert.equal(other.quantization.maxAbsError, general.quantization.maxAbsError, path);
          assert.ok(
            Math.abs(other.quantization.rmsError - general.quantization.rmsError) <=
              1e-12 * general.quantization.rmsError,
            path,
          );
        }
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
          assert.equal(general.fillers, fillers);
        }
      },
    ),
    { seed: 7, numRuns: 400 },
  );
});

Deno.test("bitmask, CSR and dense fast writers agree with their reference writers (fast-check)", () => {
  const writers = [
    [encodeBitmask, fc.integer({ min: 2, max: 16 })],
    [encodeCsr, fc.integer({ min: 2, max: 16 })],
    [encodeDense, fc.constantFrom(8, 16)],
  ] as const;
  for (const [encode, bitsArb] of writers) {
    fc.assert(
      fc.property(
        layerArb,
        granularityArb,
        densityArb,
        bitsArb,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 254 }),
        (layer, granularity, density, valueBits, offset, keep) => {
          const grains = granularity.partition(layer);
          if (grains === undefined) return;
          const grainMask = new Uint8Array(grains.count).map((_, g) =>
            ((g * 2654435761) % 991) / 991 < density ? 1 : 0
          );
          const mask = expandedMask(grainMask, grains, offset, keep);
          const fast = encode(layer, mask, grains, valueBits, "fast");
          const general = encode(layer, mask, grains, valueBits, "general");
          assert.deepEqual(fast.bytes, general.bytes, encode.name);
          assert.deepEqual(fast.bits, general.bits, encode.name);
          assert.equal(fast.quantization.maxAbsError, general.quantization.maxAbsError);
          assert.equal(fast.quantization.scale, general.quantization.scale);
          assert.ok(
            Math.abs(fast.quantization.rmsError - general.quantization.rmsError) <=
              1e-12 * general.quantization.rmsError,
          );
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  }
});

Deno.test("a mask that splits a grain is refused, naming the first split grain (fast-check)", () => {
  fc.assert(
    fc.property(
      layerArb,
      granularityArb,
      densityArb,
      fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 3 }),
      (layer, granularity, density, flips, offset) => {
        const grains = granularity.partition(layer);
        if (grains === undefined) return;
        const grainMask = new Uint8Array(grains.count).map((_, g) =>
          ((g * 40503) % 997) / 997 < density ? 1 : 0
        );
        const mask = expandedMask(grainMask, grains, offset, 3);
        for (const flip of flips) {
          const e = flip % mask.length;
          mask[e] = mask[e] ? 0 : 200;
        }
        const kept = countKeptPerGrain(mask, grains);
        const sizes = grainSizes(grains);
        const split = kept.findIndex((k, g) => k !== 0 && k !== sizes[g]);
        const encode = () => encodeRelativeIndex(layer, mask, grains, 8, 4);
        if (split < 0) {
          encode();
          return;
        }
        assert.throws(encode, (error: unknown) => {
          assert.ok(error instanceof LayerError && error.field === "mask");
          assert.match(
            error.message,
            new RegExp(`grain ${split} has ${kept[split]} of its ${sizes[split]} elements kept`),
          );
          return true;
        });
      },
    ),
    { seed: 23, numRuns: 300 },
  );
});

Deno.test("kept weights must be finite whatever the grains; pruned ones may be anything (fast-check)", () => {
  fc.assert(
    fc.property(
      layerArb,
      granularityArb,
      fc.constantFrom(NaN, Infinity, -Infinity),
      fc.nat(),
      (layer, granularity, bad, at) => {
        const grains = granularity.partition(layer);
        if (grains === undefined) return;
        const grainMask = new Uint8Array(grains.count).map((_, g) => g % 2);
        const mask = expandGrainMask(grainMask, grains);
        const e = at % mask.length;
        const values = layer.values.slice();
        values[e] = bad;
        const broken = { ...layer, values };
        for (const encode of [encodeBitmask, encodeCsr, encodeDense]) {
          if (mask[e] === 0) encode(broken, mask, grains, 8);
          else {
            assert.throws(
              () => encode(broken, mask, grains, 8),
              (error: unknown) =>
                error instanceof LayerError && error.field === "values" &&
                error.message.includes(`kept weight ${e} is ${bad}`),
            );
          }
        }
      },
    ),
    { seed: 5, numRuns: 150 },
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
      assertDecodesToQuantised(encoder, encoded, { layer, mask, grains });
    }
  }
});

function testLayerFor(shape: number[]): LayerWeights {
  return { name: "custom", kind: "conv2d", shape, values: heNormalWeights(shape, 77) };
}

Deno.test("fast writers round exact halves as Math.round does, at every value width", () => {
  // values on exact halves of the scale (|w| / scale = k + 0.5) of both signs, and the largest
  // |w| fixing the scale at 1
  for (const valueBits of [2, 5, 8, 12, 16]) {
    const levels = 2 ** (valueBits - 1) - 1;
    const shape = [3, 3, 4, 6];
    const values = new Float32Array(216).map((_, i) =>
      (i % 2 ? -1 : 1) * (((i * 7) % levels) + (i % 5 === 4 ? 0 : 0.5))
    );
    values[17] = -levels;
    const layer: LayerWeights = { name: "halves", kind: "conv2d", shape, values };
    const mask = new Uint8Array(216).fill(1);
    for (const granularity of ["0d", "1d", "2d", "3d"]) {
      const grains = createGranularity(granularity).partition(layer)!;
      const reference = encodeRelativeIndex(layer, mask, grains, valueBits, 4, "general");
      for (const path of ["fast", "memory-order"] as const) {
        const fast = encodeRelativeIndex(layer, mask, grains, valueBits, 4, path);
        assert.deepEqual(fast.bytes, reference.bytes, `${valueBits} ${granularity} ${path}`);
      }
      for (const encode of [encodeBitmask, encodeCsr]) {
        assert.deepEqual(
          encode(layer, mask, grains, valueBits).bytes,
          encode(layer, mask, grains, valueBits, "general").bytes,
        );
      }
      if (valueBits === 8 || valueBits === 16) {
        assert.deepEqual(
          encodeDense(layer, mask, grains, valueBits).bytes,
          encodeDense(layer, mask, grains, valueBits, "general").bytes,
        );
      }
    }
  }
});

Deno.test("the element writer packs every entry width up to 16 bits, fillers included", () => {
  const layer = testLayerFor([1, 1, 37, 41]);
  const grains = createGranularity("0d").partition(layer)!;
  for (const density of [0.02, 0.3, 0.9]) {
    const mask = new Uint8Array(grains.count).map((_, e) =>
      ((e * 2654435761) % 1000) / 1000 < density ? 1 : 0
    );
    for (let valueBits = 2; valueBits <= 15; valueBits++) {
      for (let indexBits = 1; valueBits + indexBits <= 16; indexBits++) {
        const fast = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "fast");
        const reference = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "general");
        assert.deepEqual(fast.bytes, reference.bytes, `${density} ${valueBits}/${indexBits}`);
      }
    }
  }
});

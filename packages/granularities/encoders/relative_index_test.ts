import assert from "node:assert/strict";
import {
  BitstreamError,
  blockGrains,
  ConfigError,
  expandGrainMask,
  LayerError,
} from "@sparsegrain/core";
import type { Grains, LayerWeights } from "@sparsegrain/core";
import { assertEncoderConforms } from "@sparsegrain/core/testing";
import { blockGranularity } from "../block.ts";
import { elementGranularity } from "../element.ts";
import { filterGranularity } from "../filter.ts";
import { kernelGranularity } from "../kernel.ts";
import { vectorGranularity } from "../vector.ts";
import { testLayer } from "../_test_layers.ts";
import { encodeRelativeIndex } from "./_relative_index_encode.ts";
import { HEADER_BYTES, streamChecksum } from "./_stream.ts";
import {
  assertDecodesToQuantised,
  assertRejectsCorruption,
  payloadPerKept,
} from "./_test_streams.ts";
import { relativeIndexEncoder } from "./relative_index.ts";

const encoder = relativeIndexEncoder();

/** A [1, n] dense layer of 0.5s whose kept elements are `kept`, with element grains. */
function row(n: number, kept: number[]): { layer: LayerWeights; mask: Uint8Array; grains: Grains } {
  const layer = {
    name: "row",
    kind: "dense" as const,
    shape: [1, n],
    values: new Float32Array(n).fill(0.5),
  };
  const mask = new Uint8Array(n);
  for (const e of kept) mask[e] = 1;
  return { layer, mask, grains: blockGrains([1, n], [1, 1]) };
}

Deno.test("relativeIndexEncoder() writes the hand-computed bytes of a tiny layer", () => {
  const layer = {
    name: "tiny",
    kind: "dense" as const,
    shape: [1, 4],
    values: new Float32Array([1, -0.5, 0, 0.25]),
  };
  const grains = blockGrains([1, 4], [1, 1]);
  const encoded = encoder.encode(layer, new Uint8Array([1, 0, 0, 1]), grains);
  // scale 1/127: codes 127 and round(31.75) = 32; entries (index 0, 127) and (index 2, 32)
  // 0000 0111 1111 | 0010 0010 0000 -> 0x07 0xf2 0x20
  assert.deepEqual([...encoded.bytes.subarray(HEADER_BYTES)], [0x07, 0xf2, 0x20]);
  assert.deepEqual(encoded.bits, {
    value: 16,
    index: 8,
    filler: 0,
    header: 320,
    padding: 0,
    total: 344,
  });
  const view = new DataView(encoded.bytes.buffer);
  assert.equal(new TextDecoder().decode(encoded.bytes.subarray(0, 4)), "SGRI");
  assert.deepEqual(
    [view.getUint8(4), view.getUint8(5), view.getUint8(6), view.getUint32(8), view.getUint32(12)],
    [1, 8, 4, 43, 4],
  );
  assert.equal(view.getFloat32(24), Math.fround(1 / 127));
  assert.deepEqual([view.getUint32(28), view.getUint32(32)], [2, 0]); // kept grains, fillers
  const decoded = encoder.decode(encoded.bytes, grains);
  assert.deepEqual([...decoded], [
    Math.fround(127 * Math.fround(1 / 127)),
    0,
    0,
    Math.fround(32 * Math.fround(1 / 127)),
  ]);
});

Deno.test("payload bits per kept weight at density 1: fine 12, 3-wide vector 9.33, 3x3 kernel 8.44", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 16, 16]);
  const all = new Uint8Array(layer.values.length).fill(1);
  const cases: [string, Grains, number][] = [
    ["0-D", elementGranularity().partition(layer)!, 12],
    ["1-D", vectorGranularity().partition(layer)!, (3 * 8 + 4) / 3],
    ["2-D", kernelGranularity().partition(layer)!, (9 * 8 + 4) / 9],
    ["3-D", filterGranularity().partition(layer)!, (144 * 8 + 4) / 144],
  ];
  for (const [label, grains, expected] of cases) {
    const encoded = encoder.encode(layer, all, grains);
    assert.equal(encoded.fillers, 0);
    assert.ok(Math.abs(payloadPerKept(encoded, all.length) - expected) < 1e-12, label);
  }
  assert.equal((3 * 8 + 4) / 3, 9.333333333333334);
  assert.equal((9 * 8 + 4) / 9, 8.444444444444445);
});

Deno.test("fillers: a gap of g pruned grains costs floor(g / 16) fillers with 4-bit indices", async (t) => {
  const cases: [string, number[], number, number][] = [
    // label, kept elements of a [1, 64] row, expected fillers, expected payload bits
    ["gap 15 (largest index)", [0, 16], 0, 24],
    ["gap 16", [0, 17], 1, 36],
    ["gap 31", [0, 32], 1, 36],
    ["gap 32", [0, 33], 2, 48],
    ["gap 47", [0, 48], 2, 48],
    ["gap 48", [0, 49], 3, 60],
    ["leading gap 16", [16], 1, 24],
    ["leading gap 15", [15], 0, 12],
    ["trailing gap is free", [0], 0, 12],
    ["nothing kept", [], 0, 0],
    ["adjacent", [5, 6, 7], 0, 36],
  ];
  for (const [label, kept, fillers, payload] of cases) {
    await t.step(label, () => {
      const { layer, mask, grains } = row(64, kept);
      const encoded = encoder.encode(layer, mask, grains);
      assert.equal(encoded.fillers, fillers);
      assert.equal(encoded.keptGrains, kept.length);
      assert.equal(encoded.bits.filler, fillers * 12);
      assert.equal(encoded.bits.value + encoded.bits.index + encoded.bits.filler, payload);
      assertDecodesToQuantised(encoder, encoded, { layer, mask, grains });
    });
  }
});

Deno.test("fillers with 2-bit indices, and on blocks of unequal size", () => {
  const narrow = relativeIndexEncoder({ indexBits: 2 });
  const { layer, mask, grains } = row(16, [0, 4, 13]); // gaps 3 (none) and 8 (two fillers)
  const encoded = narrow.encode(layer, mask, grains);
  assert.equal(encoded.fillers, 2);
  assert.equal(encoded.bits.index, 3 * 2);
  assert.equal(encoded.bits.filler, 2 * (2 + 8));
  assertDecodesToQuantised(narrow, encoded, { layer, mask, grains });

  // [3, 5] in 2x2 blocks: grains 0..5 of sizes 4, 4, 2, 2, 2, 1. 1-bit index (max gap 1):
  // keeping grains 0 and 5 leaves a gap of 4 = fillers standing on grains 2 and 4 (2 weights each)
  const one = relativeIndexEncoder({ indexBits: 1 });
  const blocks = blockGrains([3, 5], [2, 2]);
  const small = {
    name: "blocks",
    kind: "dense" as const,
    shape: [3, 5],
    values: new Float32Array(15).fill(1),
  };
  const blockMask = expandGrainMask(new Uint8Array([1, 0, 0, 0, 0, 1]), blocks);
  const e2 = one.encode(small, blockMask, blocks);
  assert.equal(e2.fillers, 2);
  assert.equal(e2.bits.value, (4 + 1) * 8);
  assert.equal(e2.bits.index, 2);
  assert.equal(e2.bits.filler, 2 * (1 + 2 * 8));
  assertDecodesToQuantised(one, e2, { layer: small, mask: blockMask, grains: blocks });
});

Deno.test("the fast writer and the reference writer give identical bytes", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 6, 10], 4);
  const granularities = [
    elementGranularity(),
    vectorGranularity(),
    vectorGranularity({ axis: "column" }),
    kernelGranularity(),
    blockGranularity({ block: [2, 2, 4, 3] }),
  ];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const granularity of granularities) {
    const grains = granularity.partition(layer)!;
    for (const density of [0, 0.03, 0.2, 0.6, 1]) {
      const mask = expandGrainMask(
        new Uint8Array(grains.count).map(() => (random() < density ? 1 : 0)),
        grains,
      );
      for (const [valueBits, indexBits] of [[8, 4], [4, 2], [16, 4], [12, 8], [2, 16]]) {
        const fast = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "fast");
        const general = encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "general");
        const where = `${granularity.name} ${density} ${valueBits}/${indexBits}`;
        assert.deepEqual(fast.bytes, general.bytes, where);
        assert.deepEqual(fast.bits, general.bits, where);
        assert.deepEqual(fast.quantization.maxAbsError, general.quantization.maxAbsError, where);
      }
    }
  }
});

Deno.test("relativeIndexEncoder() stores float32 values exactly at 32 bits", () => {
  const layer = testLayer("fc", "dense", [20, 7], 3);
  const grains = blockGrains([20, 7], [1, 1]);
  const mask = new Uint8Array(140).map((_, i) => (i % 3 === 0 ? 1 : 0));
  const wide = relativeIndexEncoder({ valueBits: 32 });
  const encoded = wide.encode(layer, mask, grains);
  assert.equal(encoded.quantization.maxAbsError, 0);
  const decoded = wide.decode(encoded.bytes, grains);
  mask.forEach((m, i) => assert.equal(decoded[i], m ? layer.values[i] : 0));
});

Deno.test("relativeIndexEncoder() refuses masks that split a grain, and bad options", () => {
  const layer = testLayer("conv7", "conv2d", [3, 3, 2, 2]);
  const grains = kernelGranularity().partition(layer)!;
  const mask = new Uint8Array(36);
  mask[0] = 1;
  assert.throws(
    () => encoder.encode(layer, mask, grains),
    (e: unknown) =>
      e instanceof LayerError && e.layer === "conv7" && e.field === "mask" &&
      /1 of its 9/.test(e.message),
  );
  assert.throws(
    () => encoder.encode(layer, new Uint8Array(35), grains),
    (e: unknown) => e instanceof LayerError && e.field === "mask",
  );
  const nan = { ...layer, values: layer.values.slice() };
  nan.values[4] = NaN;
  assert.throws(
    () => encoder.encode(nan, new Uint8Array(36).fill(1), grains),
    (e: unknown) => e instanceof LayerError && e.field === "values" && /NaN/.test(e.message),
  );
  // a NaN in a pruned weight is harmless
  const pruned = expandGrainMask(new Uint8Array([0, 1, 1, 1]), grains); // element 4 is in grain 0
  assert.doesNotThrow(() => encoder.encode(nan, pruned, grains));
  for (
    const options of [{ indexBits: 0 }, { indexBits: 17 }, { valueBits: 1 }, { valueBits: 24 }, {
      bits: 8,
    }]
  ) {
    assert.throws(() => relativeIndexEncoder(options as never), ConfigError);
  }
});

Deno.test("relativeIndexEncoder() decode rejects corrupted, truncated and foreign streams", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 2, 3], 2);
  const grains = vectorGranularity().partition(layer)!;
  const mask = expandGrainMask(
    new Uint8Array(grains.count).map((_, g) => (g % 3 === 1 ? 1 : 0)),
    grains,
  );
  const encoded = encoder.encode(layer, mask, grains);
  assertRejectsCorruption(encoder, encoded, grains);
  // grains of another shape or granularity
  assert.throws(
    () => encoder.decode(encoded.bytes, kernelGranularity().partition(layer)!),
    /grain count/,
  );
  assert.throws(
    () => encoder.decode(encoded.bytes, blockGrains([3, 3, 2, 4], [1, 3, 1, 1])),
    /element count/,
  );
  // another format's magic
  const other = encoded.bytes.slice();
  other.set([0x53, 0x47, 0x42, 0x4d]);
  assert.throws(() => encoder.decode(other, grains), /bad magic/);
});

Deno.test("decode catches wrong counts even when the checksum is recomputed", () => {
  const { layer, mask, grains } = row(40, [3, 30]);
  const encoded = encoder.encode(layer, mask, grains);
  const forge = (edit: (view: DataView) => void) => {
    const bytes = encoded.bytes.slice();
    const view = new DataView(bytes.buffer);
    edit(view);
    view.setUint32(36, streamChecksum(bytes));
    return bytes;
  };
  const fail = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(
      () => encoder.decode(bytes, grains),
      (e: unknown) => e instanceof BitstreamError && pattern.test(e.message),
    );
  fail(forge((v) => v.setUint32(28, 3)), /truncated|bits/); // one entry too many
  fail(forge((v) => v.setUint32(28, 1)), /bits are left/); // one entry too few
  fail(forge((v) => v.setUint8(6, 0)), /index bits 0/);
  fail(forge((v) => v.setUint8(5, 24)), /value bits 24/);
  fail(forge((v) => v.setUint8(4, 2)), /version 2/);
  fail(forge((v) => v.setUint32(28, 41)), /exceed/);
  // an index that runs past the last grain
  const far = row(40, [3, 39]);
  const e2 = encoder.encode(far.layer, far.mask, far.grains);
  assert.throws(() => encoder.decode(e2.bytes, blockGrains([1, 40], [1, 2])), BitstreamError);
});

Deno.test("relativeIndexEncoder() conforms to the core kit", () => {
  assertEncoderConforms(encoder);
  assertEncoderConforms(encoder, {
    granularities: [
      elementGranularity(),
      vectorGranularity(),
      kernelGranularity(),
      filterGranularity(),
    ],
    runs: 24,
  });
  assertEncoderConforms(relativeIndexEncoder({ valueBits: 4, indexBits: 2 }), { runs: 20 });
  assertEncoderConforms(relativeIndexEncoder({ valueBits: 32, indexBits: 3 }), { runs: 20 });
});

Deno.test("relativeIndexEncoder() reads masks at any byte offset and with any non-zero keep value", () => {
  const layer = testLayer("fc", "dense", [9, 13], 5);
  const grains = blockGrains([9, 13], [1, 1]);
  const plain = new Uint8Array(117).map((_, i) => ((i * 7) % 5 === 0 ? 1 : 0));
  const expected = encoder.encode(layer, plain, grains);
  for (const offset of [1, 2, 3]) {
    const backing = new Uint8Array(117 + offset);
    const mask = backing.subarray(offset);
    plain.forEach((m, i) => (mask[i] = m ? 1 + ((i * 37) % 255) : 0));
    assert.deepEqual(encoder.encode(layer, mask, grains).bytes, expected.bytes);
  }
});

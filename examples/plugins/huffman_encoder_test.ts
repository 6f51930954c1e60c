import assert from "node:assert/strict";
import {
  BitstreamError,
  BitWriter,
  blockGrains,
  ConfigError,
  expandGrainMask,
  heNormalWeights,
  LayerError,
  seededRandom,
} from "@sparsegrain/core";
import type { Grains, Granularity, LayerWeights } from "@sparsegrain/core";
import { assertEncoderConforms } from "@sparsegrain/core/testing";
import { huffman, huffmanEncoder } from "./huffman_encoder.ts";

/** A partition without a block layout: grain g holds elements g, g + k, g + 2k, ... */
const strided: Granularity = {
  name: "strided",
  version: "1.0.0",
  describe: () => "every k-th element",
  partition(layer): Grains {
    const elements = layer.values.length;
    const count = Math.max(1, Math.ceil(elements / 3));
    return {
      count,
      elements,
      maxSize: Math.ceil(elements / count),
      elementsOf(g, out) {
        let n = 0;
        for (let e = g; e < elements; e += count) out[n++] = e;
        return n;
      },
      elementGrain: () => Int32Array.from({ length: elements }, (_, e) => e % count),
    };
  },
};

function row(values: number[]): LayerWeights {
  return {
    name: "row",
    kind: "dense",
    shape: [1, values.length],
    values: new Float32Array(values),
  };
}

const HEADER = 32 + 8 + 5 + 5 + 1 + 4 * 32; // fixed part, before the code tables

Deno.test("huffman passes the conformance kit", async (t) => {
  await t.step("default, random block tilings", () => assertEncoderConforms(huffman));
  await t.step(
    "grains without a block layout",
    () => assertEncoderConforms(huffman, { granularities: [strided], runs: 24 }),
  );
  await t.step(
    "fixed-width values",
    () => assertEncoderConforms(huffmanEncoder({ codeValues: false }), { runs: 30 }),
  );
  await t.step(
    "1-bit indices (many fillers), 16-bit values",
    () => assertEncoderConforms(huffmanEncoder({ indexBits: 1, valueBits: 16 }), { runs: 30 }),
  );
  await t.step(
    "2-bit values, 12-bit indices",
    () => assertEncoderConforms(huffmanEncoder({ indexBits: 12, valueBits: 2 }), { runs: 30 }),
  );
});

Deno.test("huffman: a hand-worked stream", async (t) => {
  await t.step("two index symbols and one value symbol: 1 bit each", () => {
    const layer = row(Array(32).fill(0.5));
    const grains = blockGrains(layer.shape, [1, 1]);
    const mask = new Uint8Array(32).map((_, i) => (i % 4 === 0 ? 1 : 0));
    const encoded = huffman.encode(layer, mask, grains);
    // index symbols 0 (the first kept weight) and 3 (seven gaps of 3): tables index n (5 bits)
    // + 2 x (4 + 5), value n (9 bits) + 1 x (8 + 5)
    const header = HEADER + 5 + 2 * 9 + 9 + 13;
    assert.deepEqual(encoded.bits, {
      value: 8,
      index: 8,
      filler: 0,
      header,
      padding: (8 - ((header + 16) % 8)) % 8,
      total: Math.ceil((header + 16) / 8) * 8,
    });
    assert.equal(encoded.keptGrains, 8);
    assert.equal(encoded.fillers, 0);
    const decoded = huffman.decode(encoded.bytes, grains);
    assert.deepEqual(Array.from(decoded), Array.from({ length: 32 }, (_, i) => (i % 4 ? 0 : 0.5)));
  });
  await t.step("indices 0,0,0,1,2: codes 0, 10, 11 (7 bits)", () => {
    const layer = row([1, 1, 1, 0, 1, 0, 0, 1]);
    const mask = new Uint8Array([1, 1, 1, 0, 1, 0, 0, 1]);
    const grains = blockGrains(layer.shape, [1, 1]);
    const encoded = huffman.encode(layer, mask, grains);
    assert.equal(encoded.bits.index, 7);
    assert.equal(encoded.bits.value, 5);
    const header = HEADER + (5 + 3 * 9) + (9 + 13);
    assert.equal(encoded.bits.header, header);
    // body: entry i = index code then the 1-bit value code "0"
    // 0|0 0|0 0|0 10|0 11|0 -> "00000010011 0"
    const body = "000000100110";
    let bits = "";
    for (const b of encoded.bytes) bits += b.toString(2).padStart(8, "0");
    assert.equal(bits.slice(header, header + body.length), body);
    assert.deepEqual(Array.from(huffman.decode(encoded.bytes, grains)), [1, 1, 1, 0, 1, 0, 0, 1]);
  });
  await t.step("a gap of 36 with 4-bit indices costs two fillers", () => {
    const values = Array(40).fill(0.25);
    const mask = new Uint8Array(40);
    mask[0] = 1;
    mask[37] = 1;
    const layer = row(values);
    const grains = blockGrains(layer.shape, [1, 1]);
    const encoded = huffman.encode(layer, mask, grains);
    assert.equal(encoded.fillers, 2);
    assert.equal(encoded.keptGrains, 2);
    // index symbols 0, 15, 15, 4 -> lengths: 15 -> 1, 0 and 4 -> 2; values: 0.25 twice, 0 twice
    assert.equal(encoded.bits.index, 2 + 2);
    assert.equal(encoded.bits.filler, 2 * (1 + 1));
    assert.equal(encoded.bits.value, 2);
    const decoded = huffman.decode(encoded.bytes, grains);
    assert.equal(decoded[37], 0.25);
    assert.equal(decoded.reduce((a, b) => a + b, 0), 0.5);
  });
});

Deno.test("huffman: indices and values cost less than their fixed widths", () => {
  const shape = [64, 64];
  const layer: LayerWeights = {
    name: "fc",
    kind: "dense",
    shape,
    values: heNormalWeights(shape, 3),
  };
  const grains = blockGrains(shape, [1, 1]);
  const random = seededRandom(9);
  const mask = new Uint8Array(grains.count).map(() => (random() < 0.3 ? 1 : 0));
  const encoded = huffman.encode(layer, mask, grains);
  const kept = encoded.keptGrains;
  // gaps at density 0.3 are geometric: entropy 0.881 / 0.3 = 2.94 bits, well below 4
  assert.ok(encoded.bits.index / kept < 3.1, `index bits per entry ${encoded.bits.index / kept}`);
  // He-normal weights quantised to 8 bits are bell-shaped: fewer than 8 bits each
  assert.ok(encoded.bits.value / kept < 7.5, `value bits per weight ${encoded.bits.value / kept}`);
  const fixed = huffmanEncoder({ codeValues: false }).encode(layer, mask, grains);
  assert.equal(fixed.bits.value, kept * 8);
  assert.equal(fixed.bits.index, encoded.bits.index);
});

Deno.test("huffman: kernel grains need fewer index bits than single weights at equal density", () => {
  const shape = [3, 3, 16, 16];
  const layer: LayerWeights = {
    name: "c",
    kind: "conv2d",
    shape,
    values: heNormalWeights(shape, 4),
  };
  const random = seededRandom(2);
  const perKept = (block: number[]) => {
    const grains = blockGrains(shape, block);
    const grainMask = new Uint8Array(grains.count).map(() => (random() < 0.25 ? 1 : 0));
    const encoded = huffman.encode(layer, expandGrainMask(grainMask, grains), grains);
    let weights = 0;
    for (const m of expandGrainMask(grainMask, grains)) weights += m;
    return (encoded.bits.index + encoded.bits.filler) / weights;
  };
  const fine = perKept([1, 1, 1, 1]);
  const kernel = perKept([3, 3, 1, 1]);
  assert.ok(kernel < fine / 5, `index bits per kept weight: kernel ${kernel}, fine ${fine}`);
});

Deno.test("huffman: decode throws BitstreamError on bad streams", async (t) => {
  const layer = row([0.5, 0, -0.25, 0.75, 0, 0, 1, 0]);
  const mask = new Uint8Array([1, 0, 1, 1, 0, 0, 1, 0]);
  const grains = blockGrains(layer.shape, [1, 1]);
  const good = huffman.encode(layer, mask, grains).bytes;
  await t.step("bad magic", () => {
    const bad = good.slice();
    bad[0] ^= 0xff;
    assert.throws(() => huffman.decode(bad, grains), BitstreamError);
  });
  await t.step("grains of another tensor", () => {
    assert.throws(() => huffman.decode(good, blockGrains([1, 8], [1, 2])), /grains passed in/);
  });
  await t.step("truncated", () => {
    for (let n = 0; n < good.length; n++) {
      assert.throws(
        () => huffman.decode(good.subarray(0, n), grains),
        BitstreamError,
        `${n} bytes`,
      );
    }
  });
  await t.step("trailing bytes", () => {
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    assert.throws(() => huffman.decode(longer, grains), /only zero padding/);
  });
  await t.step("a code table that is not a prefix code", () => {
    const w = new BitWriter();
    w.write(0x48465249, 32);
    w.write(1, 8);
    w.write(8, 5);
    w.write(4, 5);
    w.write(0, 1); // values not coded
    w.write(8, 32);
    w.write(8, 32);
    w.write(1, 32);
    w.write(0x3f800000, 32);
    w.write(3, 5); // three index symbols of length 1
    for (const s of [0, 1, 2]) {
      w.write(s, 4);
      w.write(1, 5);
    }
    w.write(0, 1);
    w.write(127, 8);
    assert.throws(() => huffman.decode(w.finish(), grains), /prefix code/);
  });
  await t.step("an entry past the last grain", () => {
    const w = new BitWriter();
    w.write(0x48465249, 32);
    w.write(1, 8);
    w.write(8, 5);
    w.write(4, 5);
    w.write(0, 1);
    w.write(8, 32);
    w.write(8, 32);
    w.write(2, 32); // two entries
    w.write(0x3f800000, 32);
    w.write(1, 5);
    w.write(9, 4); // index symbol 9, 1-bit code "0"
    w.write(1, 5);
    w.write(0, 1); // grain 9 of 8
    w.write(127, 8);
    w.write(0, 1);
    w.write(127, 8);
    assert.throws(() => huffman.decode(w.finish(), grains), /past the last grain/);
  });
});

Deno.test("huffman: partly kept grains and bad options are user errors", () => {
  const layer = row([1, 2, 3, 4]);
  const grains = blockGrains(layer.shape, [1, 2]);
  assert.throws(() => huffman.encode(layer, new Uint8Array([1, 0, 1, 1]), grains), LayerError);
  assert.throws(() => huffmanEncoder({ valueBits: 32 }), ConfigError);
  assert.throws(() => huffmanEncoder({ indexBits: 13 }), /indexBits/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => huffmanEncoder({ codeValues: "yes" as any }), /codeValues/);
});

Deno.test("huffman: code lengths stay within 24 bits on Fibonacci frequencies", () => {
  // 26 symbols with Fibonacci frequencies give a 25-deep Huffman tree; the encoder must flatten it
  const fib = [1, 1];
  while (fib.length < 26) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
  const values: number[] = [];
  fib.forEach((f, k) => values.push(...Array(f).fill(k + 1)));
  const layer = row(values);
  const grains = blockGrains(layer.shape, [1, 1]);
  const mask = new Uint8Array(values.length).fill(1);
  const encoder = huffmanEncoder({ valueBits: 16 });
  const encoded = encoder.encode(layer, mask, grains);
  let bits = "";
  for (const b of encoded.bytes.subarray(0, 200)) bits += b.toString(2).padStart(8, "0");
  let at = HEADER + 5 + 4 + 5; // after the one-symbol index table
  const n = parseInt(bits.slice(at, at += 17), 2);
  assert.equal(n, 26);
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    at += 16;
    lengths.push(parseInt(bits.slice(at, at += 5), 2));
  }
  const longest = Math.max(...lengths);
  assert.ok(longest <= 24 && longest > 1, `longest code ${longest}`);
  const decoded = encoder.decode(encoded.bytes, grains);
  const tolerance = encoded.quantization.maxAbsError;
  values.forEach((v, i) => assert.ok(Math.abs(decoded[i] - v) <= tolerance));
});

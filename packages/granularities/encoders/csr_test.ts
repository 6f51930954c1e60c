import assert from "node:assert/strict";
import { BitstreamError, blockGrains, expandGrainMask } from "@sparsegrain/core";
import { assertEncoderConforms } from "@sparsegrain/core/testing";
import { channelGranularity } from "../channel.ts";
import { filterGranularity } from "../filter.ts";
import { kernelGranularity } from "../kernel.ts";
import { vectorGranularity } from "../vector.ts";
import { testLayer } from "../_test_layers.ts";
import { HEADER_BYTES } from "./_stream.ts";
import { assertDecodesToQuantised, assertRejectsCorruption } from "./_test_streams.ts";
import { csrEncoder } from "./csr.ts";

Deno.test("csrEncoder() writes row pointers, column indices and values (rows = outputs)", () => {
  // dense [in=3, out=2]: rows are the 2 outputs, columns the 3 inputs; element (i, o) = i*2 + o
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [3, 2],
    values: new Float32Array([1, 2, 3, 4, 5, 6]),
  };
  const grains = blockGrains([3, 2], [1, 1]);
  const mask = new Uint8Array([0, 1, 1, 0, 1, 0]); // (0,1), (1,0), (2,0)
  const encoded = csrEncoder().encode(layer, mask, grains);
  // row 0 = output 0 holds inputs 1 and 2, row 1 holds input 0: row ends 2, 3 (2 bits each),
  // columns 1, 2, 0 (2 bits each), values 3, 5, 2 at scale 5/127 -> 76, 127, 51
  // 10 11 | 01 10 00 | 01001100 01111111 00110011 -> 1011 0110 0001 0011 0001 1111 1100 1100 11(000000)
  assert.deepEqual([...encoded.bytes.subarray(HEADER_BYTES)], [0xb6, 0x13, 0x1f, 0xcc, 0xc0]);
  assert.deepEqual(encoded.bits, {
    value: 24,
    index: 10,
    filler: 0,
    header: 320,
    padding: 6,
    total: 360,
  });
  assertDecodesToQuantised(csrEncoder(), encoded, { layer, mask, grains });
});

Deno.test("csrEncoder() rows follow the output-channel blocks of each granularity", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 4, 6]);
  const all = new Uint8Array(layer.values.length).fill(1);
  const cases: [string, ReturnType<typeof kernelGranularity>, number, number][] = [
    // granularity, rows, columns
    ["2d", kernelGranularity(), 6, 4],
    ["1d", vectorGranularity(), 6, 12],
    ["3d", filterGranularity(), 6, 1],
    ["channel", channelGranularity(), 1, 4],
  ];
  for (const [label, granularity, rows, columns] of cases) {
    const grains = granularity.partition(layer)!;
    const encoded = csrEncoder().encode(layer, all, grains);
    const pointerBits = Math.ceil(Math.log2(grains.count + 1));
    const columnBits = columns > 1 ? Math.ceil(Math.log2(columns)) : 0;
    assert.equal(encoded.bits.index, rows * pointerBits + grains.count * columnBits, label);
    assert.equal(new DataView(encoded.bytes.buffer).getUint32(32), rows, label);
  }
});

Deno.test("csrEncoder() rejects corrupted streams and streams for other grains", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 3, 4]);
  const grains = kernelGranularity().partition(layer)!;
  const mask = expandGrainMask(new Uint8Array(12).map((_, g) => (g * 7) % 3 === 0 ? 1 : 0), grains);
  const encoded = csrEncoder().encode(layer, mask, grains);
  assertRejectsCorruption(csrEncoder(), encoded, grains);
  assert.throws(
    () => csrEncoder().decode(encoded.bytes, blockGrains([3, 3, 4, 3], [3, 3, 1, 1])),
    BitstreamError,
  );
});

Deno.test("csrEncoder() conforms to the core kit", () => {
  assertEncoderConforms(csrEncoder());
  assertEncoderConforms(csrEncoder({ valueBits: 4 }), {
    granularities: [vectorGranularity(), filterGranularity()],
    runs: 12,
  });
});

import assert from "node:assert/strict";
import { blockGrains, expandGrainMask, LayerError } from "@sparsegrain/core";
import { assertEncoderConforms } from "@sparsegrain/core/testing";
import { blockGranularity } from "../block.ts";
import { elementGranularity } from "../element.ts";
import { kernelGranularity } from "../kernel.ts";
import { testLayer } from "../_test_layers.ts";
import { HEADER_BYTES } from "./_stream.ts";
import { assertDecodesToQuantised, assertRejectsCorruption } from "./_test_streams.ts";
import { bitmaskEncoder } from "./bitmask.ts";

Deno.test("bitmaskEncoder() writes one bit per grain, then the kept values", () => {
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [1, 10],
    values: new Float32Array(10).fill(-0.5),
  };
  const grains = blockGrains([1, 10], [1, 1]);
  const mask = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const encoded = bitmaskEncoder().encode(layer, mask, grains);
  // mask bits 1000000001, then two values: sign 1, magnitude 127 = 0xff
  // 10000000 01111111 11111111 11(000000)
  assert.deepEqual([...encoded.bytes.subarray(HEADER_BYTES)], [0x80, 0x7f, 0xff, 0xc0]);
  assert.deepEqual(encoded.bits, {
    value: 16,
    index: 10,
    filler: 0,
    header: 320,
    padding: 6,
    total: 352,
  });
  assertDecodesToQuantised(bitmaskEncoder(), encoded, { layer, mask, grains });
});

Deno.test("bitmaskEncoder() index cost is the grain count whatever the density", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 8, 8]);
  const grains = kernelGranularity().partition(layer)!;
  for (const every of [1, 2, 5, 1000]) {
    const mask = expandGrainMask(
      new Uint8Array(64).map((_, g) => (g % every === 0 ? 1 : 0)),
      grains,
    );
    const encoded = bitmaskEncoder().encode(layer, mask, grains);
    assert.equal(encoded.bits.index, 64);
    assert.equal(encoded.bits.value, Math.ceil(64 / every) * 9 * 8);
    assertDecodesToQuantised(bitmaskEncoder(), encoded, { layer, mask, grains });
  }
});

Deno.test("bitmaskEncoder() rejects split grains and corrupted streams", () => {
  const layer = testLayer("conv3", "conv2d", [3, 3, 3, 2]);
  const grains = blockGranularity({ block: [2, 2, 2, 2] }).partition(layer)!;
  const split = new Uint8Array(54);
  split[0] = 1;
  assert.throws(
    () => bitmaskEncoder().encode(layer, split, grains),
    (e: unknown) => e instanceof LayerError && e.layer === "conv3",
  );
  const mask = expandGrainMask(new Uint8Array(grains.count).map((_, g) => g % 2), grains);
  assertRejectsCorruption(bitmaskEncoder(), bitmaskEncoder().encode(layer, mask, grains), grains);
});

Deno.test("bitmaskEncoder() conforms to the core kit", () => {
  assertEncoderConforms(bitmaskEncoder());
  assertEncoderConforms(bitmaskEncoder({ valueBits: 32 }), {
    granularities: [elementGranularity(), kernelGranularity()],
    runs: 12,
  });
});

import assert from "node:assert/strict";
import { blockGrains, ConfigError, expandGrainMask, LayerError } from "@sparsegrain/core";
import { assertEncoderConforms } from "@sparsegrain/core/testing";
import { kernelGranularity } from "../kernel.ts";
import { vectorGranularity } from "../vector.ts";
import { testLayer } from "../_test_layers.ts";
import { HEADER_BYTES } from "./_stream.ts";
import { assertDecodesToQuantised, assertRejectsCorruption } from "./_test_streams.ts";
import { denseEncoder } from "./dense.ts";

Deno.test("denseEncoder() stores every weight, pruned ones as 0, in sign-magnitude", () => {
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [1, 3],
    values: new Float32Array([-1, 0.5, 0.25]),
  };
  const grains = blockGrains([1, 3], [1, 1]);
  const encoded = denseEncoder().encode(layer, new Uint8Array([1, 0, 1]), grains);
  // scale 1/127: -1 -> sign 1, magnitude 127 = 0xff; pruned 0; 0.25 -> 32 = 0x20
  assert.deepEqual([...encoded.bytes.subarray(HEADER_BYTES)], [0xff, 0x00, 0x20]);
  assert.deepEqual(encoded.bits, {
    value: 24,
    index: 0,
    filler: 0,
    header: 320,
    padding: 0,
    total: 344,
  });
  assert.equal(encoded.keptGrains, 2);
});

Deno.test("denseEncoder() size ignores the mask and round-trips at 8, 16 and 32 bits", () => {
  const layer = testLayer("conv", "conv2d", [3, 3, 4, 5]);
  const grains = kernelGranularity().partition(layer)!;
  const mask = expandGrainMask(new Uint8Array(grains.count).map((_, g) => g % 2), grains);
  for (const valueBits of [8, 16, 32] as const) {
    const encoder = denseEncoder({ valueBits });
    const sparse = encoder.encode(layer, mask, grains);
    const full = encoder.encode(layer, new Uint8Array(180).fill(1), grains);
    assert.equal(sparse.bytes.length, full.bytes.length);
    assert.equal(sparse.bits.value, 180 * valueBits);
    assertDecodesToQuantised(encoder, sparse, { layer, mask, grains, valueBits });
  }
});

Deno.test("denseEncoder() rejects bad options, split grains and corrupted streams", () => {
  for (const valueBits of [4, 12, 24, "8"]) {
    assert.throws(
      () => denseEncoder({ valueBits: valueBits as 8 }),
      (e: unknown) =>
        e instanceof ConfigError && e.field === "dense.valueBits" &&
        /one of 8, 16, 32/.test(e.message),
    );
  }
  const layer = testLayer("conv", "conv2d", [3, 3, 2, 2]);
  const grains = vectorGranularity().partition(layer)!;
  const half = new Uint8Array(36);
  half[0] = 1;
  assert.throws(() => denseEncoder().encode(layer, half, grains), LayerError);
  const mask = expandGrainMask(
    new Uint8Array(grains.count).map((_, g) => g % 3 === 0 ? 1 : 0),
    grains,
  );
  assertRejectsCorruption(denseEncoder(), denseEncoder().encode(layer, mask, grains), grains);
});

Deno.test("denseEncoder() conforms to the core kit", () => {
  assertEncoderConforms(denseEncoder(), { runs: 24 });
  assertEncoderConforms(denseEncoder({ valueBits: 16 }), { runs: 12 });
  assertEncoderConforms(denseEncoder({ valueBits: 32 }), { runs: 12 });
});

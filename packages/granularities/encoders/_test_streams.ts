import assert from "node:assert/strict";
import { BitstreamError, quantizeLinear } from "@sparsegrain/core";
import type { EncodedLayer, Encoder, Grains, LayerWeights, Mask } from "@sparsegrain/core";

/**
 * Checks (tests only) that every single-byte change, every truncation and an appended byte make
 * `decode` throw `BitstreamError`, and that the intact stream still decodes.
 */
export function assertRejectsCorruption(
  encoder: Encoder,
  encoded: EncodedLayer,
  grains: Grains,
): void {
  const bytes = encoded.bytes;
  encoder.decode(bytes, grains);
  for (let i = 0; i < bytes.length; i++) {
    for (const flip of [0x01, 0x80, 0xff]) {
      const bad = bytes.slice();
      bad[i] ^= flip;
      assert.throws(
        () => encoder.decode(bad, grains),
        BitstreamError,
        `byte ${i} xor ${flip} was not detected`,
      );
    }
  }
  for (let length = 0; length < bytes.length; length++) {
    assert.throws(
      () => encoder.decode(bytes.slice(0, length), grains),
      BitstreamError,
      `a stream cut to ${length} bytes was not detected`,
    );
  }
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => encoder.decode(longer, grains), BitstreamError);
}

/** What {@link assertDecodesToQuantised} compares a decoded stream with. */
export interface QuantisedLayer {
  readonly layer: LayerWeights;
  readonly mask: Mask;
  readonly grains: Grains;
  /** @default {8} */
  readonly valueBits?: number;
}

/**
 * Asserts (tests only) that `encoded` decodes with `encoder` to exactly the weights core's
 * `quantizeLinear` gives the kept values of `q.layer` (bit for bit, so `-0` counts).
 */
export function assertDecodesToQuantised(
  encoder: Encoder,
  encoded: EncodedLayer,
  q: QuantisedLayer,
): void {
  const expected = quantizeLinear(q.layer.values, q.mask, q.valueBits ?? 8).values;
  assert.ok(
    sameBits(encoder.decode(encoded.bytes, q.grains), expected),
    `${encoder.name} does not decode ${q.layer.name} to its quantised weights`,
  );
}

/** True when two Float32Arrays hold the same bits (so -0 differs from 0). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Payload bits (values, indices and fillers, no header or padding) per kept weight. */
export function payloadPerKept(encoded: EncodedLayer, keptWeights: number): number {
  return (encoded.bits.value + encoded.bits.index + encoded.bits.filler) / keptWeights;
}

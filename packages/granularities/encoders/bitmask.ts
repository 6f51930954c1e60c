import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { Encoder, Grains } from "@sparsegrain/core";
import { BITMASK as NAME, BITMASK_MAGIC as MAGIC, encodeBitmask } from "./_bitmask_encode.ts";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { elementsOfGrain, grainOrder } from "./_grain_order.ts";
import { checkTail, HEADER_BYTES, readHeader } from "./_stream.ts";
import { ValueDecoder } from "./_values.ts";

/** Options of {@link bitmaskEncoder}. */
export interface BitmaskEncoderOptions {
  /**
   * Bits per stored weight: 2 to 16 (linear, symmetric quantisation) or 32 (float32).
   *
   * @default {8}
   */
  readonly valueBits?: number;
}

/**
 * The bitmask encoder, registered as `"bitmask"`: one bit per grain in grain-index order (1 =
 * kept), then the values of the kept grains in the same order (`valueBits` each, elements in
 * `grains.elementsOf` order). Its index cost is fixed by the grain count, whatever the density.
 *
 * @param options the value width
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { bitmaskEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [4, 4], values: new Float32Array(16).fill(1) };
 * const grains = blockGrains([4, 4], [2, 2]); // four 2x2 blocks
 * const mask = new Uint8Array(16);
 * mask.set([1, 1], 0); mask.set([1, 1], 4); // the top-left block
 * const encoded = bitmaskEncoder().encode(layer, mask, grains);
 * assert(encoded.bits.index === 4 && encoded.bits.value === 32);
 * ```
 */
export function bitmaskEncoder(options?: BitmaskEncoderOptions): Encoder {
  checkOptionKeys(NAME, options, ["valueBits"]);
  const valueBits = integerIn(NAME, "valueBits", options?.valueBits, 2, 16, 8, [32]);
  return {
    name: NAME,
    version: "1.0.0",
    options: { valueBits },
    describe: () => `Bitmask: one bit per grain, then the kept grains' ${valueBits}-bit values`,
    encode: (layer, mask, grains) => encodeBitmask(layer, mask, grains, valueBits),
    decode,
  };
}

function decode(bytes: Uint8Array, grains: Grains): Float32Array {
  const header = readHeader(bytes, NAME, MAGIC, grains);
  if (header.indexBits !== 1) {
    throw new BitstreamError(NAME, `index bits ${header.indexBits} are not 1`);
  }
  const decoder = new ValueDecoder(NAME, header.valueBits, header.scaleBits);
  const reader = new BitReader(bytes.subarray(HEADER_BYTES), NAME);
  const count = grains.count;
  const flags = new Uint8Array(count);
  let kept = 0;
  for (let g = 0; g < count; g++) {
    flags[g] = reader.read(1);
    kept += flags[g];
  }
  if (kept !== header.keptGrains) {
    throw new BitstreamError(
      NAME,
      `the bitmask keeps ${kept} grains but the header says ${header.keptGrains}`,
    );
  }
  const order = grainOrder(grains);
  const out = new Float32Array(grains.elements);
  const buffer = new Int32Array(grains.maxSize);
  for (let g = 0; g < count; g++) {
    if (flags[g] === 0) continue;
    const n = elementsOfGrain(grains, order, g, buffer);
    for (let k = 0; k < n; k++) out[buffer[k]] = decoder.value(reader.read(header.valueBits));
  }
  checkTail(reader, NAME);
  return out;
}

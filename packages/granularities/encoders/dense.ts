import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { Encoder, Grains } from "@sparsegrain/core";
import { DENSE as NAME, DENSE_MAGIC as MAGIC, encodeDense } from "./_dense_encode.ts";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { checkTail, HEADER_BYTES, readHeader } from "./_stream.ts";
import { ValueDecoder } from "./_values.ts";

/** Options of {@link denseEncoder}. */
export interface DenseEncoderOptions {
  /**
   * Bits per weight: 8 or 16 (linear, symmetric quantisation of the kept weights) or 32
   * (float32).
   *
   * @default {8}
   */
  readonly valueBits?: 8 | 16 | 32;
}

/**
 * The dense baseline encoder, registered as `"dense"`: every weight of the tensor in element
 * order, `valueBits` each, pruned weights written as 0; no index. Its size does not depend on
 * the mask, which is what the sparse formats are compared with.
 *
 * @param options the value width
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { denseEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 4], values: new Float32Array(8).fill(0.25) };
 * const grains = blockGrains([2, 4], [1, 1]);
 * const encoded = denseEncoder({ valueBits: 8 }).encode(layer, new Uint8Array(8).fill(1), grains);
 * assert(encoded.bits.value === 64 && encoded.bits.index === 0);
 * ```
 */
export function denseEncoder(options?: DenseEncoderOptions): Encoder {
  checkOptionKeys(NAME, options, ["valueBits"]);
  const valueBits = integerIn(NAME, "valueBits", options?.valueBits, 8, 8, 8, [16, 32]);
  return {
    name: NAME,
    version: "1.0.0",
    options: { valueBits },
    describe: () => `Dense: every weight in ${valueBits} bits, pruned ones as 0, no index`,
    encode: (layer, mask, grains) => encodeDense(layer, mask, grains, valueBits),
    decode,
  };
}

function decode(bytes: Uint8Array, grains: Grains): Float32Array {
  const header = readHeader(bytes, NAME, MAGIC, grains);
  if (header.indexBits !== 0 || ![8, 16, 32].includes(header.valueBits)) {
    throw new BitstreamError(
      NAME,
      `index bits ${header.indexBits} and value bits ${header.valueBits} are not a dense layout`,
    );
  }
  const decoder = new ValueDecoder(NAME, header.valueBits, header.scaleBits);
  const reader = new BitReader(bytes.subarray(HEADER_BYTES), NAME);
  const out = new Float32Array(grains.elements);
  for (let e = 0; e < out.length; e++) out[e] = decoder.value(reader.read(header.valueBits));
  checkTail(reader, NAME);
  return out;
}

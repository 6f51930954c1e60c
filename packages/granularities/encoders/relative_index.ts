import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { Encoder, Grains } from "@sparsegrain/core";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { grainOrder } from "./_grain_order.ts";
import {
  encodeRelativeIndex,
  RELATIVE_INDEX as NAME,
  RELATIVE_INDEX_MAGIC as MAGIC,
} from "./_relative_index_encode.ts";
import { checkTail, HEADER_BYTES, readHeader } from "./_stream.ts";
import { ValueDecoder } from "./_values.ts";

/** Options of {@link relativeIndexEncoder}. */
export interface RelativeIndexEncoderOptions {
  /**
   * Bits per stored weight: 2 to 16 (linear, symmetric quantisation) or 32 (float32).
   *
   * @default {8}
   */
  readonly valueBits?: number;
  /**
   * Bits per relative index, 1 to 16. A gap of more than `2^indexBits - 1` pruned grains costs
   * a filler entry.
   *
   * @default {4}
   */
  readonly indexBits?: number;
}

/**
 * The relative-index encoder, registered as `"relative-index"` (Deep Compression, EIE, SCNN;
 * PAPER.md "Storage model"). Grains are visited in grain-index order; every kept grain is one
 * entry: its index (the number of pruned grains since the previous entry, `indexBits` bits)
 * followed by its values (`valueBits` each, elements in `grains.elementsOf` order). When a gap
 * exceeds `max = 2^indexBits - 1`, a filler entry (index `max`, then zero values for the pruned
 * grain it stands on) covers `max + 1` grains, so a gap of `g` pruned grains costs
 * `floor(g / 2^indexBits)` fillers (4-bit: gaps 0..15 none, 16..31 one, 32..47 two). Pruned
 * grains after the last kept grain cost nothing.
 *
 * @param options value and index widths
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { relativeIndexEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [1, 20], values: new Float32Array(20).fill(0.5) };
 * const mask = new Uint8Array(20);
 * mask[0] = 1; mask[17] = 1; // a gap of 16 pruned weights: one filler
 * const encoder = relativeIndexEncoder();
 * const encoded = encoder.encode(layer, mask, blockGrains([1, 20], [1, 1]));
 * assert(encoded.fillers === 1 && encoded.bits.value === 16 && encoded.bits.filler === 12);
 * const decoded = encoder.decode(encoded.bytes, blockGrains([1, 20], [1, 1]));
 * assert(decoded[17] === 0.5 && decoded[16] === 0);
 * ```
 */
export function relativeIndexEncoder(options?: RelativeIndexEncoderOptions): Encoder {
  checkOptionKeys(NAME, options, ["valueBits", "indexBits"]);
  const valueBits = integerIn(NAME, "valueBits", options?.valueBits, 2, 16, 8, [32]);
  const indexBits = integerIn(NAME, "indexBits", options?.indexBits, 1, 16, 4);
  return {
    name: NAME,
    version: "1.0.0",
    options: { valueBits, indexBits },
    describe: () =>
      `Relative index: ${valueBits}-bit values and one ${indexBits}-bit gap index per kept grain, filler entries on overflow`,
    encode: (layer, mask, grains) => encodeRelativeIndex(layer, mask, grains, valueBits, indexBits),
    decode: (bytes, grains) => decode(bytes, grains),
  };
}

function decode(bytes: Uint8Array, grains: Grains): Float32Array {
  const header = readHeader(bytes, NAME, MAGIC, grains);
  const { valueBits, indexBits } = header;
  if (indexBits < 1 || indexBits > 16) {
    throw new BitstreamError(NAME, `index bits ${indexBits} are not 1..16`);
  }
  const decoder = new ValueDecoder(NAME, valueBits, header.scaleBits);
  const entries = header.keptGrains + header.count2;
  const reader = new BitReader(bytes.subarray(HEADER_BYTES), NAME);
  const out = new Float32Array(grains.elements);
  const buffer = new Int32Array(grains.maxSize);
  const identity = grainOrder(grains).identity;
  let next = 0;
  for (let i = 0; i < entries; i++) {
    const g = next + reader.read(indexBits);
    if (g >= grains.count) {
      throw new BitstreamError(
        NAME,
        `entry ${i} of ${entries} points to grain ${g}, past the last grain ${grains.count - 1}`,
      );
    }
    if (identity) out[g] = decoder.value(reader.read(valueBits));
    else {
      const n = grains.elementsOf(g, buffer);
      for (let k = 0; k < n; k++) out[buffer[k]] = decoder.value(reader.read(valueBits));
    }
    next = g + 1;
  }
  checkTail(reader, NAME);
  return out;
}

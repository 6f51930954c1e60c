import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { Encoder, Grains } from "@sparsegrain/core";
import { CSR as NAME, CSR_MAGIC as MAGIC, encodeCsr, rowsOf } from "./_csr_encode.ts";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { elementsOfGrain, grainOrder } from "./_grain_order.ts";
import { bitLength, checkTail, HEADER_BYTES, readHeader } from "./_stream.ts";
import { ValueDecoder } from "./_values.ts";

/** Options of {@link csrEncoder}. */
export interface CsrEncoderOptions {
  /**
   * Bits per stored weight: 2 to 16 (linear, symmetric quantisation) or 32 (float32).
   *
   * @default {8}
   */
  readonly valueBits?: number;
}

/**
 * The compressed-sparse-row encoder, registered as `"csr"`, over grains. The grains form a
 * matrix whose rows are the output channels: for block grains, a row is one block position
 * along the last axis (`cout` of a conv, `out` of a dense layer, the multiplier of a depthwise
 * conv) and grain `g` sits at row `g % rows`, column `floor(g / rows)`; grains without a block
 * layout form a single row. The stream holds `rows` row-end pointers
 * (`ceil(log2(kept + 1))` bits each), the column index of every kept grain in row order
 * (`ceil(log2(columns))` bits each), then the kept grains' values in the same order.
 *
 * @param options the value width
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { csrEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [4, 2], values: new Float32Array(8).fill(1) };
 * const grains = blockGrains([4, 2], [1, 1]); // rows = 2 outputs, columns = 4 inputs
 * const mask = new Uint8Array([1, 0, 0, 0, 0, 1, 1, 1]);
 * const encoded = csrEncoder().encode(layer, mask, grains);
 * // 2 row pointers of 3 bits, 4 column indices of 2 bits
 * assert(encoded.bits.index === 2 * 3 + 4 * 2 && encoded.bits.value === 32);
 * ```
 */
export function csrEncoder(options?: CsrEncoderOptions): Encoder {
  checkOptionKeys(NAME, options, ["valueBits"]);
  const valueBits = integerIn(NAME, "valueBits", options?.valueBits, 2, 16, 8, [32]);
  return {
    name: NAME,
    version: "1.0.0",
    options: { valueBits },
    describe: () =>
      `CSR: rows are output channels; row pointers, column indices and ${valueBits}-bit values`,
    encode: (layer, mask, grains) => encodeCsr(layer, mask, grains, valueBits),
    decode,
  };
}

function decode(bytes: Uint8Array, grains: Grains): Float32Array {
  const header = readHeader(bytes, NAME, MAGIC, grains);
  const rows = rowsOf(grains);
  const columns = grains.count / rows;
  const kept = header.keptGrains;
  if (
    header.count2 !== rows || header.indexBits !== bitLength(columns - 1) ||
    header.auxBits !== bitLength(kept)
  ) {
    throw new BitstreamError(
      NAME,
      `the stream has ${header.count2} rows with ${header.indexBits}-bit columns and ${header.auxBits}-bit pointers, the grains need ${rows} rows of ${columns} columns`,
    );
  }
  const reader = new BitReader(bytes.subarray(HEADER_BYTES), NAME);
  const ends = new Int32Array(rows);
  let previous = 0;
  for (let r = 0; r < rows; r++) {
    const end = reader.read(header.auxBits);
    if (end < previous || end > kept) {
      throw new BitstreamError(
        NAME,
        `row pointer ${r} is ${end}, outside ${previous}..${kept}`,
      );
    }
    ends[r] = previous = end;
  }
  if (previous !== kept) {
    throw new BitstreamError(NAME, `the last row ends at ${previous}, not at ${kept} kept grains`);
  }
  const grainList = new Int32Array(kept);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    let last = -1;
    for (; i < ends[r]; i++) {
      const c = reader.read(header.indexBits);
      if (c <= last || c >= columns) {
        throw new BitstreamError(
          NAME,
          `column ${c} in row ${r} is not in ${last + 1}..${columns - 1}`,
        );
      }
      last = c;
      grainList[i] = c * rows + r;
    }
  }
  const decoder = new ValueDecoder(NAME, header.valueBits, header.scaleBits);
  const order = grainOrder(grains);
  const out = new Float32Array(grains.elements);
  const buffer = new Int32Array(grains.maxSize);
  for (let j = 0; j < kept; j++) {
    const n = elementsOfGrain(grains, order, grainList[j], buffer);
    for (let k = 0; k < n; k++) out[buffer[k]] = decoder.value(reader.read(header.valueBits));
  }
  checkTail(reader, NAME);
  return out;
}

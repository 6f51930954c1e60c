import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { EncodedLayer, Encoder, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { elementsOfGrain, grainOrder, scanGrains } from "./_grain_order.ts";
import {
  bitLength,
  BitSink,
  checkTail,
  floatBits,
  HEADER_BYTES,
  magicOf,
  readHeader,
  writeHeader,
} from "./_stream.ts";
import { rawBits, ValueCoder, ValueDecoder } from "./_values.ts";

/** Options of {@link csrEncoder}. */
export interface CsrEncoderOptions {
  /**
   * Bits per stored weight: 2 to 16 (linear, symmetric quantisation) or 32 (float32).
   *
   * @default {8}
   */
  readonly valueBits?: number;
}

const NAME = "csr";
const MAGIC = "SGCS";

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
 * import { blockGrains } from "@sparsegrain/core";
 * import { csrEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [4, 2], values: new Float32Array(8).fill(1) };
 * const grains = blockGrains([4, 2], [1, 1]); // rows = 2 outputs, columns = 4 inputs
 * const mask = new Uint8Array([1, 0, 0, 0, 0, 1, 1, 1]);
 * const encoded = csrEncoder().encode(layer, mask, grains);
 * // 2 row pointers of 3 bits, 4 column indices of 2 bits
 * console.assert(encoded.bits.index === 2 * 3 + 4 * 2 && encoded.bits.value === 32);
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
    encode: (layer, mask, grains) => encode(layer, mask, grains, valueBits),
    decode,
  };
}

/** Rows of the grain matrix: the grid extent of the last axis, or 1 without a block layout. */
function rowsOf(grains: Grains): number {
  const layout = grains.block;
  if (layout === undefined) return 1;
  const last = layout.shape.length - 1;
  return Math.ceil(layout.shape[last] / layout.block[last]);
}

function encode(layer: LayerWeights, mask: Mask, grains: Grains, valueBits: number): EncodedLayer {
  const order = grainOrder(grains);
  const scan = scanGrains(layer, mask, grains, order);
  const flags = scan.flags;
  const values = layer.values;
  const raw = rawBits(values);
  const scale = valueBits === 32 ? 0 : Math.fround(scan.maxAbs / (2 ** (valueBits - 1) - 1));
  const coder = new ValueCoder(valueBits, scale);
  const rows = rowsOf(grains);
  const columns = grains.count / rows;
  const columnBits = bitLength(columns - 1);
  const pointerBits = bitLength(scan.keptGrains);
  const indexTotal = rows * pointerBits + scan.keptGrains * columnBits;
  const valueTotal = scan.keptElements * valueBits;
  const payload = indexTotal + valueTotal;
  const padding = (8 - (payload % 8)) % 8;
  const sink = new BitSink(HEADER_BYTES + (payload + padding) / 8, HEADER_BYTES);
  let end = 0;
  for (let r = 0; r < rows; r++) {
    for (let g = r; g < grains.count; g += rows) end += flags[g] !== 0 ? 1 : 0;
    sink.putWide(end, pointerBits);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0, g = r; c < columns; c++, g += rows) {
      if (flags[g] !== 0) sink.putWide(c, columnBits);
    }
  }
  const buffer = new Int32Array(grains.maxSize);
  for (let r = 0; r < rows; r++) {
    for (let g = r; g < grains.count; g += rows) {
      if (flags[g] === 0) continue;
      const n = elementsOfGrain(grains, order, g, buffer);
      for (let k = 0; k < n; k++) {
        const e = buffer[k];
        sink.putWide(coder.word(values[e], raw[e]), valueBits);
      }
    }
  }
  const bytes = sink.finish();
  const quantization = coder.report();
  writeHeader(bytes, {
    magic: magicOf(MAGIC),
    valueBits,
    indexBits: columnBits,
    auxBits: pointerBits,
    elements: grains.elements,
    grains: grains.count,
    maxGrainSize: grains.maxSize,
    scaleBits: floatBits(quantization.scale),
    keptGrains: scan.keptGrains,
    count2: rows,
  });
  return {
    encoder: NAME,
    layer: layer.name,
    bytes,
    bits: {
      value: valueTotal,
      index: indexTotal,
      filler: 0,
      header: HEADER_BYTES * 8,
      padding,
      total: bytes.length * 8,
    },
    keptGrains: scan.keptGrains,
    fillers: 0,
    quantization,
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

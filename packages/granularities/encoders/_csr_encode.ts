import type {
  EncodedLayer,
  Grains,
  LayerWeights,
  Mask,
  QuantizationReport,
} from "@sparsegrain/core";
import { elementsOfGrain, grainOrder, scanGrains } from "./_grain_order.ts";
import { MAX_FAST_BITS, writeCsrIndex, writeKeptByColumn } from "./_kept_values.ts";
import { scatterValues } from "./_memory_order.ts";
import { bitLength, BitSink, floatBits, HEADER_BYTES, magicOf, writeHeader } from "./_stream.ts";
import { quantiser, rawBits, ValueCoder } from "./_values.ts";

/** Registry name of the CSR encoder. */
export const CSR = "csr";
/** Magic of its streams. */
export const CSR_MAGIC = "SGCS";

/** Rows of the grain matrix: the grid extent of the last axis, or 1 without a block layout. */
export function rowsOf(grains: Grains): number {
  const layout = grains.block;
  if (layout === undefined) return 1;
  const last = layout.shape.length - 1;
  return Math.ceil(layout.shape[last] / layout.block[last]);
}

/**
 * Encodes a layer in the CSR format (see csr.ts). `"fast"` (values up to 16 bits, block or
 * element grains) ORs the row pointers, column indices and values into place, reading the grain
 * flags and the tensor in memory order with a cursor per row; `"general"` (the reference, also
 * used for 32-bit values and grains without a block layout) writes field by field through
 * {@link BitSink}, row by row. Both give the same bytes (tests compare them).
 */
export function encodeCsr(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
  path: "fast" | "general" = "fast",
): EncodedLayer {
  const order = grainOrder(grains);
  const scan = scanGrains(layer, mask, grains, order);
  const flags = scan.flags;
  const values = layer.values;
  const raw = rawBits(values);
  const scale = valueBits === 32 ? 0 : Math.fround(scan.maxAbs / (2 ** (valueBits - 1) - 1));
  const rows = rowsOf(grains);
  const columns = grains.count / rows;
  const columnBits = bitLength(columns - 1);
  const pointerBits = bitLength(scan.keptGrains);
  const indexTotal = rows * pointerBits + scan.keptGrains * columnBits;
  const valueTotal = scan.keptElements * valueBits;
  const payload = indexTotal + valueTotal;
  const padding = (8 - (payload % 8)) % 8;
  const length = HEADER_BYTES + (payload + padding) / 8;
  const fast = path === "fast" && valueBits <= 16 && length * 8 <= MAX_FAST_BITS &&
    (order.identity || (order.walk !== undefined && scan.keptIndex !== undefined));
  let bytes: Uint8Array;
  let quantization: QuantizationReport;
  if (fast) {
    const buffer = new Uint8Array(length + 2); // slack for the 3-byte stores
    const start = HEADER_BYTES * 8;
    const firsts = writeCsrIndex(flags, rows, pointerBits, columnBits, buffer, start);
    const valueStart = start + indexTotal;
    const errors = new Float64Array(3);
    if (scale > 0 && order.identity) {
      // element grains: row r of the grain matrix is column r of the tensor as [n / rows, rows]
      const cursors = new Int32Array(rows);
      for (let r = 0; r < rows; r++) cursors[r] = valueStart + firsts[r] * valueBits;
      const q = quantiser(scale, valueBits);
      writeKeptByColumn(values, raw, mask, rows, cursors, buffer, q, errors);
    } else if (scale > 0) {
      // block grains: the values of kept grain j start after those of the kept grains before
      // it in row order
      const kept = scan.keptIndex!;
      const sizes = order.sizes;
      const full = grains.maxSize;
      const rowElements = new Float64Array(rows + 1);
      for (let j = 0; j < kept.length; j++) {
        rowElements[(kept[j] % rows) + 1] += sizes === undefined ? full : sizes[kept[j]];
      }
      const cursors = new Int32Array(rows);
      let bit = valueStart;
      for (let r = 0; r < rows; r++) {
        cursors[r] = bit;
        bit += rowElements[r + 1] * valueBits;
      }
      const offsets = new Int32Array(kept.length);
      for (let j = 0; j < kept.length; j++) {
        const g = kept[j];
        const r = g % rows;
        offsets[j] = cursors[r];
        cursors[r] += (sizes === undefined ? full : sizes[g]) * valueBits;
      }
      scatterValues(values, raw, kept, order.walk!, offsets, buffer, scale, valueBits, errors);
    }
    bytes = buffer.slice(0, length);
    quantization = {
      bits: valueBits,
      scale,
      maxAbsError: errors[0],
      rmsError: errors[2] > 0 ? Math.sqrt(errors[1] / errors[2]) : 0,
    };
  } else {
    const coder = new ValueCoder(valueBits, scale);
    const sink = new BitSink(length, HEADER_BYTES);
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
    bytes = sink.finish();
    quantization = coder.report();
  }
  writeHeader(bytes, {
    magic: magicOf(CSR_MAGIC),
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
    encoder: CSR,
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

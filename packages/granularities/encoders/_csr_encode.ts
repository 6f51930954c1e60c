import type {
  EncodedLayer,
  Grains,
  LayerWeights,
  Mask,
  QuantizationReport,
} from "@sparsegrain/core";
import { grainWordWriter, scanForEncoding } from "./_grain_order.ts";
import { fastWritersFit, writeCsrIndex, writeKeptByColumn } from "./_kept_values.ts";
import { scatterValues } from "./_memory_order.ts";
import { bitLength, BitSink, HEADER_BYTES, sealStream } from "./_stream.ts";
import { errorReport, quantiser, ValueCoder } from "./_values.ts";

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
  const { order, scan, raw, scale } = scanForEncoding(layer, mask, grains, valueBits);
  const flags = scan.flags;
  const values = layer.values;
  const rows = rowsOf(grains);
  const columns = grains.count / rows;
  const columnBits = bitLength(columns - 1);
  const pointerBits = bitLength(scan.keptGrains);
  const indexTotal = rows * pointerBits + scan.keptGrains * columnBits;
  const valueTotal = scan.keptElements * valueBits;
  const payload = indexTotal + valueTotal;
  const padding = (8 - (payload % 8)) % 8;
  const length = HEADER_BYTES + (payload + padding) / 8;
  const fast = path === "fast" && fastWritersFit(valueBits, length, order, scan.keptIndex);
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
    quantization = errorReport(valueBits, scale, errors[0], errors[1], errors[2]);
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
    const putGrain = grainWordWriter(values, grains, order, coder, sink);
    for (let r = 0; r < rows; r++) {
      for (let g = r; g < grains.count; g += rows) if (flags[g] !== 0) putGrain(g);
    }
    bytes = sink.finish();
    quantization = coder.report();
  }
  return sealStream(bytes, grains, {
    encoder: CSR,
    magic: CSR_MAGIC,
    layer: layer.name,
    valueBits,
    indexBits: columnBits,
    auxBits: pointerBits,
    count2: rows,
    keptGrains: scan.keptGrains,
    fillers: 0,
    bits: { value: valueTotal, index: indexTotal, filler: 0, padding },
    quantization,
  });
}

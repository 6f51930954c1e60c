import type { Mask } from "@sparsegrain/core";
import { CHUNK, compactKept, maskWords } from "./_compact.ts";
import type { MaskWords } from "./_compact.ts";
import type { GrainOrder } from "./_grain_order.ts";
import { quantWord } from "./_values.ts";
import type { Quantiser } from "./_values.ts";

// Writers shared by the bitmask, CSR and dense encoders (values up to 16 bits): they OR fields
// into a zeroed buffer at computed bit offsets, MSB-first, so that kept elements can be visited
// in memory order whatever the order of the stream. Buffers need 2 bytes of slack.

/** Bit offsets below this fit in Int32 arithmetic (streams of the fast writers stay below). */
export const MAX_FAST_BITS = 2 ** 31 - 64;

/**
 * Whether the fast writers here and scatterValues (_memory_order.ts) can write a stream of
 * `length` bytes with `valueBits`-bit values: values up to 16 bits, bit offsets in Int32 range,
 * and element grains, or block grains whose kept grains were listed by the scan (`keptIndex`).
 */
export function fastWritersFit(
  valueBits: number,
  length: number,
  order: GrainOrder,
  keptIndex: Int32Array | undefined,
): boolean {
  return valueBits <= 16 && length * 8 <= MAX_FAST_BITS &&
    (order.identity || (order.walk !== undefined && keptIndex !== undefined));
}

/**
 * ORs the low `bits` bits (at most 16) of `field` into `bytes` at bit `bit`, MSB-first; `bytes`
 * needs 2 bytes of slack past the field.
 */
export function orBits(bytes: Uint8Array, bit: number, field: number, bits: number): void {
  const shifted = field << (24 - bits - (bit & 7));
  const at = bit >>> 3;
  bytes[at] |= shifted >>> 16;
  bytes[at + 1] |= shifted >>> 8;
  bytes[at + 2] |= shifted;
}

/** {@link orBits} for fields of up to 32 bits. */
export function orBitsWide(bytes: Uint8Array, bit: number, field: number, bits: number): void {
  if (bits <= 16) orBits(bytes, bit, field, bits);
  else {
    orBits(bytes, bit, (field >>> 16) & ((1 << (bits - 16)) - 1), bits - 16);
    orBits(bytes, bit + bits - 16, field & 0xffff, 16);
  }
}

/** Calls `visit(index, k)` with the kept elements of `mask` in order, chunk by chunk. */
export function forEachKeptChunk(
  mask: Mask,
  keptIndex: Int32Array | undefined,
  visit: (index: Int32Array, k: number) => void,
): void {
  if (keptIndex !== undefined) {
    for (let start = 0; start < keptIndex.length; start += CHUNK) {
      const chunk = keptIndex.subarray(start, Math.min(keptIndex.length, start + CHUNK));
      visit(chunk, chunk.length);
    }
    return;
  }
  const words = maskWords(mask);
  const index = new Int32Array(CHUNK);
  const n = mask.length;
  for (let start = 0; start < n; start += CHUNK) {
    visit(index, compactKept(words, start, Math.min(n, start + CHUNK), index));
  }
}

/**
 * Writes one bit per flag (1 for non-zero) from bit `start`, a multiple of 8, MSB-first.
 */
export function packFlags(flags: Uint8Array, bytes: Uint8Array, start: number): void {
  const n = flags.length;
  let at = start >>> 3;
  let i = 0;
  for (; i + 8 <= n; i += 8, at++) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | ((flags[i + j] + 255) >>> 8);
    bytes[at] = byte;
  }
  for (let shift = 7; i < n; i++, shift--) bytes[at] |= ((flags[i] + 255) >>> 8) << shift;
}

/**
 * Writes the codes of the kept elements one after the other from bit `start`, in element
 * order (element grains: the kept grains' values in grain order).
 */
export function writeKeptInOrder(
  values: Float32Array,
  raw: Uint32Array,
  mask: Mask,
  keptIndex: Int32Array | undefined,
  bytes: Uint8Array,
  start: number,
  q: Quantiser,
  errors: Float64Array,
): void {
  let bit = start;
  const bits = q.bits;
  forEachKeptChunk(mask, keptIndex, (index, k) => {
    for (let j = 0; j < k; j++, bit += bits) {
      const e = index[j];
      orBits(bytes, bit, quantWord(q, values[e], raw[e], errors), bits);
    }
  });
}

/**
 * Writes the codes of the kept elements of a tensor viewed as `[n / D, D]` column by column:
 * the kept elements of column `d`, in row order, one after the other from bit `cursors[d]`
 * (advanced as they are written). Rows are read in memory order.
 */
export function writeKeptByColumn(
  values: Float32Array,
  raw: Uint32Array,
  mask: Mask,
  D: number,
  cursors: Int32Array,
  bytes: Uint8Array,
  q: Quantiser,
  errors: Float64Array,
): void {
  const words = maskWords(mask);
  const index = new Int32Array(D);
  const bits = q.bits;
  for (let start = 0; start < mask.length; start += D) {
    const k = compactKept(words, start, start + D, index);
    for (let j = 0; j < k; j++) {
      const e = index[j];
      const d = e - start;
      orBits(bytes, cursors[d], quantWord(q, values[e], raw[e], errors), bits);
      cursors[d] += bits;
    }
  }
}

/**
 * The CSR index of a grain matrix `[columns, rows]` (grain `g` at row `g % rows`, column
 * `floor(g / rows)`): `rows` running ends of `pointerBits` from bit `start`, then the column of
 * every kept grain (`columnBits` each), row by row. Returns the first kept grain of every row
 * (`rows + 1` entries, the last one the kept count). Flags are read in memory order.
 */
export function writeCsrIndex(
  flags: Uint8Array,
  rows: number,
  pointerBits: number,
  columnBits: number,
  bytes: Uint8Array,
  start: number,
): Int32Array {
  const words: MaskWords = maskWords(flags);
  const index = new Int32Array(rows);
  const firsts = new Int32Array(rows + 1);
  for (let from = 0; from < flags.length; from += rows) {
    const k = compactKept(words, from, from + rows, index);
    for (let j = 0; j < k; j++) firsts[index[j] - from + 1]++;
  }
  for (let r = 0; r < rows; r++) {
    firsts[r + 1] += firsts[r];
    orBitsWide(bytes, start + r * pointerBits, firsts[r + 1], pointerBits);
  }
  if (columnBits > 0) {
    const cursors = firsts.slice(0, rows);
    const columnStart = start + rows * pointerBits;
    for (let from = 0, c = 0; from < flags.length; from += rows, c++) {
      const k = compactKept(words, from, from + rows, index);
      for (let j = 0; j < k; j++) {
        const r = index[j] - from;
        orBitsWide(bytes, columnStart + cursors[r]++ * columnBits, c, columnBits);
      }
    }
  }
  return firsts;
}

import { grainSizes, LayerError } from "@sparsegrain/core";
import type { BlockLayout, Grains, Mask } from "@sparsegrain/core";
import { compactKept, maskWords } from "./_compact.ts";
import type { MaskWords } from "./_compact.ts";
import { NEAR, quantiser, quantMagnitude } from "./_values.ts";
import type { Quantiser } from "./_values.ts";

// Block grains written while the tensor is read in (nearly) MEMORY order.
//
// The formats fix the order of a stream, not the order in which a writer fills it. Streams list
// grains in grain order and each grain's elements row-major within its block; gathering them in
// that order is a strided read for coarse grains (a 3-D neuron of fc6 is 25,088 weights 4,096
// apart; a 1-D kernel row of a conv is 3 weights cin*cout apart). So:
//
// - The scan (scanBlocksInMemoryOrder) finds the kept grains, checks that the mask keeps or
//   prunes whole grains and takes the largest kept |w| (NaN-sticky: the finiteness check) in one
//   pass. A grain is kept when the first row of its block-row keeps it; every other row must
//   equal that row (four mask entries per read), and blocks wider than one column are checked
//   against their grain's flag entry by entry.
// - A writer computes the bit offset of every kept grain's values from the grain order (for
//   relative-index, entry heads and fillers first; fillers' zero values cost no writes), then
//   scatterValues reads the tensor again and ORs each value's code into a zeroed buffer at
//   `offset[grain] + position * valueBits`.
//
// Rows (the D contiguous elements of the last axis) are visited block-row by block-row: the rows
// that cross the same blocks, hence the same grains along D at consecutive positions, one after
// the other. For a neuron or filter tiling that is plain memory order; for a kernel-row tiling of
// [kh, kw, cin, cout] it is the kw rows of one (kh, cin) in turn, each a contiguous run of cout
// weights. A kept grain's values are written up to 16 rows at a time, so that stream bytes are
// touched in short sequential runs. Quantisation is the Quantiser's (_values.ts): a multiply,
// with quantMagnitude's exact rounding near rounding boundaries.

/**
 * Tables of a block layout padded to rank 4 `[A, B, C, D]`. Column `d` of row `r` of a
 * block-row (see {@link forEachBlockRow}) is in grain `rowGrain + grainD[d]`, at position
 * `r * extentD[d] + restD[d]` of its elements.
 */
export interface BlockWalk {
  readonly dims: readonly [number, number, number, number];
  readonly block: readonly [number, number, number, number];
  /** Blocks per axis. */
  readonly grid: readonly [number, number, number, number];
  /** Grain offset of column `d` within its row (`floor(d / blockD)`). */
  readonly grainD: Int32Array;
  /** Offset of column `d` within its block (`d % blockD`). */
  readonly restD: Int32Array;
  /** Extent along D of the block that holds column `d`. */
  readonly extentD: Int32Array;
  /** True when blocks are one element wide along D: `grainD[d] = d`, `restD[d] = 0`. */
  readonly unitD: boolean;
  /** Size of every grain, or undefined when every grain has `maxSize` elements. */
  readonly sizes: Int32Array | undefined;
}

/** Builds the memory-order tables of `grains`, whose block layout is `layout`. */
export function blockWalk(grains: Grains, layout: BlockLayout): BlockWalk {
  const pad = 4 - layout.shape.length;
  const dims: [number, number, number, number] = [1, 1, 1, 1];
  const block: [number, number, number, number] = [1, 1, 1, 1];
  for (let i = 0; i < layout.shape.length; i++) {
    dims[pad + i] = layout.shape[i];
    block[pad + i] = layout.block[i];
  }
  const grid = dims.map((d, i) => Math.ceil(d / block[i])) as [number, number, number, number];
  const D = dims[3];
  const b = block[3];
  const grainD = new Int32Array(D);
  const restD = new Int32Array(D);
  const extentD = new Int32Array(D);
  for (let d = 0; d < D; d++) {
    const i = Math.floor(d / b);
    grainD[d] = i;
    restD[d] = d - i * b;
    extentD[d] = Math.min(b, D - i * b);
  }
  const even = dims.every((d, i) => d % block[i] === 0);
  return {
    dims,
    block,
    grid,
    grainD,
    restD,
    extentD,
    unitD: b === 1,
    sizes: even ? undefined : grainSizes(grains),
  };
}

/**
 * Calls `visit(rowGrain, starts, rows)` for every block-row `(i0, i1, i2)`: the grain offset of
 * its rows (`grainD[d]` added gives the grain of column `d`) and the first elements of its
 * `rows` rows in block order (row `r` holds position `r` of its grains along A, B, C). `starts`
 * is reused from call to call.
 */
export function forEachBlockRow(
  walk: BlockWalk,
  visit: (rowGrain: number, starts: Int32Array, rows: number) => void,
): void {
  const [A, B, C, D] = walk.dims;
  const [b0, b1, b2] = walk.block;
  const [g0, g1, g2, g3] = walk.grid;
  const starts = new Int32Array(b0 * b1 * b2);
  for (let i0 = 0; i0 < g0; i0++) {
    const a0 = i0 * b0;
    const e0 = Math.min(b0, A - a0);
    for (let i1 = 0; i1 < g1; i1++) {
      const c1 = i1 * b1;
      const e1 = Math.min(b1, B - c1);
      for (let i2 = 0; i2 < g2; i2++) {
        const c2 = i2 * b2;
        const e2 = Math.min(b2, C - c2);
        let rows = 0;
        for (let r0 = 0; r0 < e0; r0++) {
          for (let r1 = 0; r1 < e1; r1++) {
            let start = (((a0 + r0) * B + c1 + r1) * C + c2) * D;
            for (let r2 = 0; r2 < e2; r2++, start += D) starts[rows++] = start;
          }
        }
        visit(((i0 * g1 + i1) * g2 + i2) * g3, starts, rows);
      }
    }
  }
}

/** What {@link scanBlocksInMemoryOrder} learns (see `GrainScan` in _grain_order.ts). */
export interface MemoryScan {
  readonly flags: Uint8Array;
  /** The kept grains, in order. */
  readonly kept: Int32Array;
  readonly keptGrains: number;
  readonly keptElements: number;
  /** Largest kept |w|: NaN or infinite when a kept weight is not finite. */
  readonly maxAbs: number;
}

/**
 * Scans a layer tiled by blocks block-row by block-row (see {@link forEachBlockRow}). The
 * first row of a block-row holds an element of each of its grains: a grain is kept when the
 * mask keeps its element there. The other rows must then equal the first (compared four
 * entries at a time where rows line up on 4) and, for blocks wider than one column, every entry
 * must equal its grain's flag. The largest |w| is taken over the kept grains' elements. A mask
 * that splits a grain fails a check, and is then counted grain by grain to throw a `LayerError`
 * naming the first split grain.
 */
export function scanBlocksInMemoryOrder(
  name: string,
  values: Float32Array,
  mask: Mask,
  grains: Grains,
  walk: BlockWalk,
): MemoryScan {
  const D = walk.dims[3];
  const words = maskWords(mask);
  const bytes = words.bytes;
  const flags = new Uint8Array(grains.count);
  const kept = new Int32Array(grains.count);
  const byWords = words.words.length > 0 && walk.unitD && D % 4 === 0;
  const firstWords = new Int32Array(byWords ? D >>> 2 : 0);
  const columns = new Int32Array(D);
  const b = walk.block[3];
  let n = 0;
  let bad = 0;
  let maxAbs = 0;
  forEachBlockRow(walk, (rowGrain, starts, rows) => {
    const first = n;
    const head = starts[0];
    if (walk.unitD) {
      const k = compactKept(words, head, head + D, columns);
      for (let j = 0; j < k; j++) kept[n++] = rowGrain + columns[j] - head;
      if (rows > 1) {
        bad |= byWords
          ? mismatchWords(words.words, firstWords, starts, rows)
          : mismatchRows(bytes, starts, rows, D);
      }
    } else {
      for (let i = 0; i < walk.grid[3]; i++) {
        if (bytes[head + i * b] !== 0) kept[n++] = rowGrain + i;
      }
      for (let j = first; j < n; j++) flags[kept[j]] = 1;
      bad |= mismatchBytes(bytes, flags, starts, rows, rowGrain, walk.grainD);
    }
    // NaN sticks: once seen, the caller reports the first non-finite kept weight
    if (n > first && maxAbs === maxAbs) {
      maxAbs = walk.unitD
        ? largestAbsUnit(values, starts, rows, kept, first, n, rowGrain, maxAbs)
        : largestAbsBlocks(values, starts, rows, kept, first, n, rowGrain, walk, maxAbs);
    }
  });
  if (bad !== 0) throwSplitGrain(name, words, grains, walk);
  const list = kept.subarray(0, n);
  if (walk.unitD) { for (let j = 0; j < n; j++) flags[list[j]] = 1; }
  let keptElements = n * grains.maxSize;
  const sizes = walk.sizes;
  if (sizes !== undefined) {
    keptElements = 0;
    for (let j = 0; j < n; j++) keptElements += sizes[list[j]];
  }
  return { flags, kept: list, keptGrains: n, keptElements, maxAbs };
}

/** The first `j >= first` with `kept[j] >= end` (or `kept.length`). */
function endOfRow(kept: Int32Array, first: number, end: number): number {
  let j = first;
  while (j < kept.length && kept[j] < end) j++;
  return j;
}

/**
 * Non-zero when a row of a block-row differs from its first row, reading the mask as words
 * (any non-zero byte counts as 1); rows start on whole words. `first` is scratch space for the
 * first row's normalised words.
 */
function mismatchWords(
  mask: Int32Array,
  first: Int32Array,
  starts: Int32Array,
  rows: number,
): number {
  const n = first.length;
  let at = starts[0] >>> 2;
  for (let i = 0; i < n; i++) first[i] = nonZeroBytes(mask[at + i]);
  let bad = 0;
  for (let r = 1; r < rows; r++) {
    at = starts[r] >>> 2;
    for (let i = 0; i < n; i++) bad |= nonZeroBytes(mask[at + i]) ^ first[i];
  }
  return bad;
}

/** 1 in every byte of `w` that is non-zero, 0 in the others. */
function nonZeroBytes(w: number): number {
  // bit 7 of a byte is set when the byte is non-zero, then moved to bit 0
  return ((((w & 0x7f7f7f7f) + 0x7f7f7f7f) | w) >>> 7) & 0x01010101;
}

/** Non-zero when a row of a block-row differs from its first row in what it keeps. */
function mismatchRows(mask: Mask, starts: Int32Array, rows: number, D: number): number {
  const head = starts[0];
  let bad = 0;
  for (let r = 1; r < rows; r++) {
    const start = starts[r];
    for (let d = 0; d < D; d++) {
      bad |= ((mask[start + d] + 255) >>> 8) ^ ((mask[head + d] + 255) >>> 8);
    }
  }
  return bad;
}

/** Non-zero when a row of mask entries differs from the flags of its grains. */
function mismatchBytes(
  mask: Mask,
  flags: Uint8Array,
  starts: Int32Array,
  rows: number,
  rowGrain: number,
  grainD: Int32Array,
): number {
  let bad = 0;
  const D = grainD.length;
  for (let r = 0; r < rows; r++) {
    const start = starts[r];
    for (let d = 0; d < D; d++) {
      bad |= ((mask[start + d] + 255) >>> 8) ^ flags[rowGrain + grainD[d]];
    }
  }
  return bad;
}

/**
 * Largest of `largest` and |w| over the kept grains `kept[first..last)` of a block-row of
 * one-column blocks (grain `rowGrain + d` is column `d`). Stops at a NaN and returns it.
 */
function largestAbsUnit(
  values: Float32Array,
  starts: Int32Array,
  rows: number,
  kept: Int32Array,
  first: number,
  last: number,
  rowGrain: number,
  largest: number,
): number {
  for (let r = 0; r < rows; r++) {
    const shift = starts[r] - rowGrain; // element of grain g in this row
    for (let j = first; j < last; j++) {
      const a = Math.abs(values[shift + kept[j]]);
      // a new largest, or NaN: rare, so the branch is predicted
      if (!(a <= largest)) {
        if (a !== a) return a;
        largest = a;
      }
    }
  }
  return largest;
}

/** {@link largestAbsUnit} for blocks wider than one column. */
function largestAbsBlocks(
  values: Float32Array,
  starts: Int32Array,
  rows: number,
  kept: Int32Array,
  first: number,
  last: number,
  rowGrain: number,
  walk: BlockWalk,
  largest: number,
): number {
  const b = walk.block[3];
  const D = walk.dims[3];
  for (let r = 0; r < rows; r++) {
    const start = starts[r];
    for (let j = first; j < last; j++) {
      const from = start + (kept[j] - rowGrain) * b;
      const to = Math.min(start + D, from + b);
      for (let e = from; e < to; e++) {
        const a = Math.abs(values[e]);
        if (!(a <= largest)) {
          if (a !== a) return a;
          largest = a;
        }
      }
    }
  }
  return largest;
}

/** Counts the kept elements of every grain and throws for the first grain that is split. */
function throwSplitGrain(name: string, mask: MaskWords, grains: Grains, walk: BlockWalk): never {
  const D = walk.dims[3];
  const counts = new Int32Array(grains.count);
  const index = new Int32Array(D);
  forEachBlockRow(walk, (rowGrain, starts, rows) => {
    for (let r = 0; r < rows; r++) {
      const k = compactKept(mask, starts[r], starts[r] + D, index);
      for (let j = 0; j < k; j++) counts[rowGrain + walk.grainD[index[j] - starts[r]]]++;
    }
  });
  const sizes = walk.sizes;
  for (let g = 0; g < counts.length; g++) {
    const n = sizes === undefined ? grains.maxSize : sizes[g];
    if (counts[g] !== 0 && counts[g] !== n) {
      throw new LayerError(
        name,
        "mask",
        `grain ${g} has ${
          counts[g]
        } of its ${n} elements kept: keep or prune whole grains (expand a grain mask with expandGrainMask)`,
      );
    }
  }
  throw new Error("Internal encoder fault: the mask differs from its grain flags but splits none");
}

/** Largest error, sum of squared errors and count of the quantised values written. */
export type ErrorStats = Float64Array;

/** Rows of a block-row whose values one kept grain writes in one go (one-column blocks). */
const TILE = 16;

/**
 * Writes the `valueBits`-bit code (at most 16 bits) of every element of the kept grains
 * `kept` into `bytes`, which must be zeroed there and have 2 bytes of slack past the last
 * value: the element at position `p` of grain `kept[j]` goes to bit `offsets[j] + p *
 * valueBits` (MSB-first), ORed in. With `scale = 0` every code is 0 and nothing is written.
 * Quantisation as `ValueCoder.word` (see {@link Quantiser}); its errors accumulate into `errors`.
 */
export function scatterValues(
  values: Float32Array,
  raw: Uint32Array,
  kept: Int32Array,
  walk: BlockWalk,
  offsets: Int32Array,
  bytes: Uint8Array,
  scale: number,
  valueBits: number,
  errors: ErrorStats,
): void {
  if (!(scale > 0) || kept.length === 0) return;
  const q = quantiser(scale, valueBits);
  const perRow = walk.grid[3];
  let first = 0;
  forEachBlockRow(walk, (rowGrain, starts, rows) => {
    const last = endOfRow(kept, first, rowGrain + perRow);
    if (last === first) return;
    if (walk.unitD) {
      for (let from = 0; from < rows; from += TILE) {
        const to = Math.min(rows, from + TILE);
        scatterUnit(
          values,
          raw,
          starts,
          from,
          to,
          kept,
          first,
          last,
          rowGrain,
          offsets,
          bytes,
          q,
          errors,
        );
      }
    } else {
      scatterBlocks(
        values,
        raw,
        starts,
        rows,
        kept,
        first,
        last,
        rowGrain,
        walk,
        offsets,
        bytes,
        q,
        errors,
      );
    }
    first = last;
  });
}

/**
 * Writes the rows `from..to` of the kept grains `kept[first..last)` of a block-row of
 * one-column blocks, grain by grain: a grain's values of consecutive rows are adjacent in the
 * stream. The quantisation is {@link Quantiser}'s, inlined (as in {@link scatterBlocks}).
 */
function scatterUnit(
  values: Float32Array,
  raw: Uint32Array,
  starts: Int32Array,
  from: number,
  to: number,
  kept: Int32Array,
  first: number,
  last: number,
  rowGrain: number,
  offsets: Int32Array,
  bytes: Uint8Array,
  q: Quantiser,
  errors: ErrorStats,
): void {
  const { scale, inverse, levels, dequantised } = q;
  const valueBits = q.bits;
  const signShift = valueBits - 1;
  const top = 24 - valueBits;
  let maxErr = errors[0];
  let sumSq = errors[1];
  for (let j = first; j < last; j++) {
    const d = kept[j] - rowGrain;
    let bit = offsets[j] + from * valueBits;
    for (let r = from; r < to; r++, bit += valueBits) {
      const e = starts[r] + d;
      const v = values[e];
      const abs = Math.abs(v);
      const y = abs * inverse + 0.5;
      let mag = y | 0;
      const f = y - mag;
      if (f < NEAR || f > 1 - NEAR) mag = quantMagnitude(abs, v < 0, scale, levels);
      const code = mag > levels ? levels : mag;
      const err = Math.abs(dequantised[code] - abs);
      if (err > maxErr) maxErr = err;
      sumSq += err * err;
      // the code, MSB-first at `bit`, spans at most 3 bytes: 24 bits with it at the top
      const field = (code | ((raw[e] >>> 31) << signShift)) << (top - (bit & 7));
      const at = bit >>> 3;
      bytes[at] |= field >>> 16;
      bytes[at + 1] |= field >>> 8;
      bytes[at + 2] |= field;
    }
  }
  errors[0] = maxErr;
  errors[1] = sumSq;
  errors[2] += (last - first) * (to - from);
}

/**
 * Writes the kept grains `kept[first..last)` of a block-row of blocks wider than one column,
 * grain by grain, each row's run of the block in turn (its positions are consecutive).
 */
function scatterBlocks(
  values: Float32Array,
  raw: Uint32Array,
  starts: Int32Array,
  rows: number,
  kept: Int32Array,
  first: number,
  last: number,
  rowGrain: number,
  walk: BlockWalk,
  offsets: Int32Array,
  bytes: Uint8Array,
  q: Quantiser,
  errors: ErrorStats,
): void {
  const { scale, inverse, levels, dequantised } = q;
  const valueBits = q.bits;
  const signShift = valueBits - 1;
  const top = 24 - valueBits;
  const b = walk.block[3];
  const D = walk.dims[3];
  let maxErr = errors[0];
  let sumSq = errors[1];
  let count = 0;
  for (let j = first; j < last; j++) {
    const column = (kept[j] - rowGrain) * b;
    const width = Math.min(b, D - column);
    let bit = offsets[j];
    for (let r = 0; r < rows; r++) {
      const from = starts[r] + column;
      for (let e = from; e < from + width; e++, bit += valueBits) {
        const v = values[e];
        const abs = Math.abs(v);
        const y = abs * inverse + 0.5;
        let mag = y | 0;
        const f = y - mag;
        if (f < NEAR || f > 1 - NEAR) mag = quantMagnitude(abs, v < 0, scale, levels);
        const code = mag > levels ? levels : mag;
        const err = Math.abs(dequantised[code] - abs);
        if (err > maxErr) maxErr = err;
        sumSq += err * err;
        const field = (code | ((raw[e] >>> 31) << signShift)) << (top - (bit & 7));
        const at = bit >>> 3;
        bytes[at] |= field >>> 16;
        bytes[at + 1] |= field >>> 8;
        bytes[at + 2] |= field;
      }
      count += width;
    }
  }
  errors[0] = maxErr;
  errors[1] = sumSq;
  errors[2] += count;
}

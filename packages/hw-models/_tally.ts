import { LayerError } from "@sparsegrain/core";
import type { Mask } from "@sparsegrain/core";
import type { Plan } from "./_plan.ts";

/**
 * Integer counts of what a mask puts through the machine, before activation densities are
 * applied. The closed form ({@link tallyMask}) and the enumerating reference simulator both
 * produce these; one shared function turns them into a `LayerCost`.
 */
export interface Tallies {
  /** Per stream: weight entries streamed (stored values plus filler placeholders). */
  readonly entries: Float64Array;
  /** Per stream: weight values of stored fragments (kept weights and zeros inside them). */
  readonly streamed: Float64Array;
  /** Per stream: index entries (stored fragments plus fillers). */
  readonly indexEntries: Float64Array;
  /** Per stream: filler placeholders written because a zero run overflowed the index. */
  readonly fillers: Float64Array;
  /** Per input channel: kept weights. */
  readonly kept: Float64Array;
  /** Per input channel: sum over kept weights of the outputs they meet (products at density 1). */
  readonly products: Float64Array;
  /** Per input channel: sum over streamed weights of the outputs they meet. */
  readonly accumulations: Float64Array;
  /** Per input channel: merged accumulator accesses at activation density 1. */
  readonly accesses: Float64Array;
  /** Output channels with at least one streamed weight. */
  readonly liveOutputs: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Zero-run facts of every mask pattern of 4 and of 16 elements, for one index width.
 *
 * A 4-element pattern is one little-endian word of 0/1 bytes folded to a nibble (bit `i` =
 * byte `i`). A 16-element block is four words `a, b, c, d` folded into
 * `x = a | b << 1 | c << 2 | d << 3` and packed as `q`, so that element `e` of the block (word
 * `e >> 2`, byte `e & 3`) is bit `4 * (e & 3) + (e >> 2)` of `q`.
 */
interface ScanTables {
  /** Zeros before the first kept element (the block size when none). */
  readonly lead4: Uint8Array;
  readonly lead16: Uint8Array;
  /** Zeros after the last kept element. */
  readonly trail4: Uint8Array;
  readonly trail16: Uint8Array;
  /** Kept elements. */
  readonly pop4: Uint8Array;
  readonly pop16: Uint8Array;
  /** Fillers for the zero runs between kept elements inside the pattern. */
  readonly inner4: Uint8Array;
  readonly inner16: Uint8Array;
}

const tableCache = new Map<number, ScanTables>();

function patternFacts(
  size: number,
  bitOf: (e: number) => number,
  shift: number,
): [Uint8Array, Uint8Array, Uint8Array, Uint8Array] {
  const n = 1 << size;
  const lead = new Uint8Array(n), trail = new Uint8Array(n);
  const pop = new Uint8Array(n), inner = new Uint8Array(n);
  for (let q = 0; q < n; q++) {
    let first = -1, last = -1, count = 0, fill = 0;
    for (let e = 0; e < size; e++) {
      if ((q >> bitOf(e)) & 1) {
        if (last >= 0) fill += (e - last - 1) >>> shift;
        if (first < 0) first = e;
        last = e;
        count++;
      }
    }
    lead[q] = first < 0 ? size : first;
    trail[q] = last < 0 ? size : size - 1 - last;
    pop[q] = count;
    inner[q] = fill;
  }
  return [lead, trail, pop, inner];
}

function scanTables(shift: number): ScanTables {
  const cached = tableCache.get(shift);
  if (cached) return cached;
  const [lead4, trail4, pop4, inner4] = patternFacts(4, (e) => e, shift);
  const [lead16, trail16, pop16, inner16] = patternFacts(16, (e) => 4 * (e & 3) + (e >> 2), shift);
  const tables = { lead4, trail4, pop4, inner4, lead16, trail16, pop16, inner16 };
  tableCache.set(shift, tables);
  return tables;
}

// Results of scanRun, kept in module state so the hot loop allocates nothing.
let runKept = 0;
let runFillers = 0;
let runGap = 0;
let runBad = 0;

/**
 * Walks mask bytes `[lo, hi)` of one stream in order: counts kept entries, fillers (a zero run of
 * `g` before a kept entry costs `g >>> shift` fillers) and the zero run left open at the end, and
 * ORs the bytes into `live8` at `lo + liveDelta` onwards (when `trackLive`). With word views (`m32`, `live32`: the
 * mask and `live8` are 4-byte aligned and `liveDelta` is a multiple of 4), aligned 16-byte blocks
 * and 4-byte words go through pattern tables; single bytes are handled without branches.
 */
function scanRun(
  m8: Uint8Array,
  m32: Uint32Array | null,
  live8: Uint8Array,
  live32: Uint32Array | null,
  liveDelta: number,
  lo: number,
  hi: number,
  gapIn: number,
  shift: number,
  t: ScanTables,
  trackLive: boolean,
): void {
  let kept = 0, fillers = 0, gap = gapIn, bad = 0;
  let i = lo;
  if (m32 !== null && live32 !== null && hi - lo >= 8) {
    for (; (i & 3) !== 0; i++) {
      const v = m8[i];
      live8[i + liveDelta] |= v;
      bad |= v;
      kept += v;
      fillers += (gap >>> shift) * v;
      gap = (gap + 1) & (v - 1);
    }
    const wordDelta = liveDelta >> 2;
    const wordEnd = hi >> 2;
    let w = i >> 2;
    const { lead16, trail16, pop16, inner16 } = t;
    for (; w + 4 <= wordEnd; w += 4) {
      const a = m32[w], b = m32[w + 1], c = m32[w + 2], d = m32[w + 3];
      const any = a | b | c | d;
      if (any === 0) {
        gap += 16;
        continue;
      }
      bad |= any;
      if (trackLive) {
        const lw = w + wordDelta;
        live32[lw] |= a;
        live32[lw + 1] |= b;
        live32[lw + 2] |= c;
        live32[lw + 3] |= d;
      }
      const x = a | (b << 1) | (c << 2) | (d << 3);
      const q = (x & 0xf) | ((x >>> 4) & 0xf0) | ((x >>> 8) & 0xf00) | ((x >>> 12) & 0xf000);
      fillers += ((gap + lead16[q]) >>> shift) + inner16[q];
      gap = trail16[q];
      kept += pop16[q];
    }
    const { lead4, trail4, pop4, inner4 } = t;
    for (; w < wordEnd; w++) {
      const x = m32[w];
      if (x === 0) {
        gap += 4;
        continue;
      }
      bad |= x;
      if (trackLive) live32[w + wordDelta] |= x;
      const q = (x | (x >>> 7) | (x >>> 14) | (x >>> 21)) & 15;
      fillers += ((gap + lead4[q]) >>> shift) + inner4[q];
      gap = trail4[q];
      kept += pop4[q];
    }
    if (w << 2 > i) i = w << 2;
  }
  for (; i < hi; i++) {
    const v = m8[i];
    live8[i + liveDelta] |= v;
    bad |= v;
    kept += v;
    fillers += (gap >>> shift) * v;
    gap = (gap + 1) & (v - 1);
  }
  runKept = kept;
  runFillers = fillers;
  runGap = gap;
  runBad |= bad;
}

/**
 * Adds mask bytes `[src, src + length)` into fragment counts at `dst` (one count per byte) and
 * returns how many were kept. With word views and aligned offsets, four bytes are added per step
 * (byte lanes never carry: every fragment count stays below 256).
 */
function addRow(
  m8: Uint8Array,
  m32: Uint32Array | null,
  f8: Uint8Array,
  f32: Uint32Array | null,
  src: number,
  dst: number,
  length: number,
): number {
  let kept = 0, bad = 0, i = 0;
  if (m32 !== null && f32 !== null && (src & 3) === 0 && (dst & 3) === 0) {
    const words = length >> 2;
    const s0 = src >> 2, d0 = dst >> 2;
    let lanes = 0;
    for (let j = 0; j < words; j++) {
      const x = m32[s0 + j];
      f32[d0 + j] += x;
      lanes += x;
      bad |= x;
      if ((j & 127) === 127) {
        kept += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
        lanes = 0;
      }
    }
    kept += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
    i = words << 2;
  }
  for (; i < length; i++) {
    const v = m8[src + i];
    f8[dst + i] += v;
    kept += v;
    bad |= v;
  }
  runBad |= bad;
  return kept;
}

function badMask(name: string, mask: Mask): LayerError {
  let at = 0;
  while (at < mask.length && mask[at] <= 1) at++;
  return new LayerError(
    name,
    "mask",
    `entry ${at} is ${mask[at]}: a mask holds 1 (keep) or 0 (prune) per weight`,
  );
}

/**
 * The closed form: one pass over the mask (two for coarse grains: element counts per grain
 * fragment, then one step per fragment), never per product.
 */
export function tallyMask(plan: Plan, mask: Mask): Tallies {
  const p = plan.problem;
  if (!(mask instanceof Uint8Array) || mask.length !== p.elements) {
    throw new LayerError(
      p.name,
      "mask",
      `expected ${p.elements} entries (one per weight of shape [${
        p.kind === "dense" ? [p.A3, p.A4] : [p.R, p.S, p.A3, p.A4]
      }]), found ${
        mask instanceof Uint8Array ? mask.length : typeof mask
      }: pass a Uint8Array mask over the layer's elements`,
    );
  }
  const { R, S, A3, A4 } = p;
  const { streams, chunks, chunkStart, chunkOf, streamChannel, tapHits } = plan;
  const shift = plan.machine.indexBits;
  const channels = p.inputChannels;
  const streamed = new Float64Array(streams);
  const fillers = new Float64Array(streams);
  const indexEntries = new Float64Array(streams);
  const kept = new Float64Array(channels);
  const products = new Float64Array(channels);
  const gaps = new Int32Array(streams);
  const depthwise = p.kind === "depthwise";
  const live = new Uint8Array(plan.liveSlots);
  const m32 = LITTLE_ENDIAN && mask.byteOffset % 4 === 0
    ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
    : null;
  runBad = 0;

  if (plan.elementwise) {
    const tables = scanTables(shift);
    // live32 views `live` by words; the word path needs its offsets to stay 4-aligned.
    const live32 = m32 !== null && A4 % 4 === 0 ? new Uint32Array(live.buffer) : null;
    // Output liveness is tracked until every output is seen live (checked every 32 rows).
    let trackLive = true;
    let rowCount = 0;
    let row = 0;
    for (let rs = 0; rs < R * S; rs++) {
      const tap = tapHits[rs];
      for (let a3 = 0; a3 < A3; a3++, row += A4) {
        if (trackLive && (++rowCount & 31) === 0 && live.indexOf(0) < 0) trackLive = false;
        const liveDelta = (depthwise ? a3 * A4 : 0) - row;
        for (let c = 0; c < chunks; c++) {
          const st = a3 * chunks + c;
          scanRun(
            mask,
            m32,
            live,
            live32,
            liveDelta,
            row + chunkStart[c],
            row + chunkStart[c + 1],
            gaps[st],
            shift,
            tables,
            trackLive,
          );
          gaps[st] = runGap;
          if (runKept === 0 && runFillers === 0) continue;
          streamed[st] += runKept;
          fillers[st] += runFillers;
          const ci = streamChannel[st];
          kept[ci] += runKept;
          products[ci] += runKept * tap;
        }
      }
    }
    if ((runBad & 0xfefefefe) !== 0) throw badMask(p.name, mask);
    let liveOutputs = 0;
    for (let i = 0; i < live.length; i++) liveOutputs += live[i] !== 0 ? 1 : 0;
    for (let st = 0; st < streams; st++) indexEntries[st] = streamed[st] + fillers[st];
    const entries = indexEntries.slice();
    return {
      entries,
      streamed,
      indexEntries,
      fillers,
      kept,
      products,
      accumulations: products.slice(),
      accesses: products.slice(),
      liveOutputs,
    };
  }

  // Coarse grains. Stage 1: kept elements per fragment (rb, sb, a3, piece), and per channel.
  const { rows, cols, pieces, pieceOf, pieceStart, pieceChunk } = plan;
  const [br, bs] = plan.block;
  const nRB = rows.blocks, nSB = cols.blocks;
  const size = nRB * nSB * A3 * pieces;
  let widest = 0;
  for (let piece = 0; piece < pieces; piece++) {
    widest = Math.max(widest, pieceStart[piece + 1] - pieceStart[piece]);
  }
  // Byte counts (added four at a time) when pieces are single indices and counts stay < 256.
  const bytewise = pieces === A4 && br * bs * widest < 256;
  const frag8 = bytewise ? new Uint8Array(size) : null;
  const frag32 = frag8 !== null && size % 4 === 0 ? new Uint32Array(frag8.buffer) : null;
  const fragments: Uint8Array | Int32Array = frag8 ?? new Int32Array(size);
  // Channel segments of a row: conv groups (the input channel changes with the group).
  const perGroup = depthwise ? A4 : A4 / p.groups;
  let bad = 0;
  let row = 0;
  for (let r = 0; r < R; r++) {
    const rb = Math.floor(r / br);
    for (let s = 0; s < S; s++) {
      const tap = tapHits[r * S + s];
      const sb = Math.floor(s / bs);
      for (let a3 = 0; a3 < A3; a3++, row += A4) {
        const fb = ((rb * nSB + sb) * A3 + a3) * pieces;
        for (let g0 = 0; g0 < A4; g0 += perGroup) {
          let k = 0;
          if (frag8 !== null) {
            k = addRow(mask, m32, frag8, frag32, row + g0, fb + g0, perGroup);
          } else {
            for (let a4 = g0; a4 < g0 + perGroup; a4++) {
              const v = mask[row + a4];
              bad |= v;
              k += v;
              fragments[fb + pieceOf[a4]] += v;
            }
          }
          if (k === 0) continue;
          const ci = streamChannel[a3 * chunks + chunkOf[g0]];
          kept[ci] += k;
          products[ci] += k * tap;
        }
      }
    }
  }
  if (((bad | runBad) & 0xfefefefe) !== 0) throw badMask(p.name, mask);

  // Stage 2: one step per fragment, in stream order (rb, sb, piece) for every stream.
  const accumulations = new Float64Array(channels);
  const accesses = new Float64Array(channels);
  const { windowEntries, windowAccesses } = plan;
  if (pieces === A4) {
    // Pieces are single output channels: fragment flags are scanned like a mask.
    const flags = frag8 ?? new Uint8Array(size);
    if (frag32 !== null) {
      for (let j = 0; j < frag32.length; j++) {
        let t = frag32[j];
        t |= t >>> 4;
        t |= t >>> 2;
        t |= t >>> 1;
        frag32[j] = t & 0x01010101;
      }
    } else {
      for (let j = 0; j < size; j++) flags[j] = fragments[j] !== 0 ? 1 : 0;
    }
    const flags32 = frag32 ??
      (LITTLE_ENDIAN && size % 4 === 0 ? new Uint32Array(flags.buffer) : null);
    const live32 = A4 % 4 === 0 ? new Uint32Array(live.buffer) : null;
    const tables = scanTables(shift);
    for (let rb = 0; rb < nRB; rb++) {
      const height = rows.blockStart[rb + 1] - rows.blockStart[rb];
      for (let sb = 0; sb < nSB; sb++) {
        const area = height * (cols.blockStart[sb + 1] - cols.blockStart[sb]);
        const win = rb * nSB + sb;
        const winEntries = windowEntries[win], winAccesses = windowAccesses[win];
        for (let a3 = 0; a3 < A3; a3++) {
          const fb = ((rb * nSB + sb) * A3 + a3) * A4;
          const liveDelta = (depthwise ? a3 * A4 : 0) - fb;
          for (let c = 0; c < chunks; c++) {
            const st = a3 * chunks + c;
            scanRun(
              flags,
              flags32,
              live,
              live32,
              liveDelta,
              fb + chunkStart[c],
              fb + chunkStart[c + 1],
              gaps[st],
              shift,
              tables,
              true,
            );
            gaps[st] = runGap;
            const stored = runKept;
            if (stored === 0) continue;
            streamed[st] += area * stored;
            indexEntries[st] += stored + runFillers;
            fillers[st] += runFillers;
            const ci = streamChannel[st];
            accumulations[ci] += stored * winEntries;
            accesses[ci] += stored * winAccesses;
          }
        }
      }
    }
  } else {
    let f = 0;
    for (let rb = 0; rb < nRB; rb++) {
      const height = rows.blockStart[rb + 1] - rows.blockStart[rb];
      for (let sb = 0; sb < nSB; sb++) {
        const area = height * (cols.blockStart[sb + 1] - cols.blockStart[sb]);
        const win = rb * nSB + sb;
        const winEntries = windowEntries[win], winAccesses = windowAccesses[win];
        for (let a3 = 0; a3 < A3; a3++) {
          const liveBase = depthwise ? a3 * pieces : 0;
          for (let piece = 0; piece < pieces; piece++, f++) {
            const st = a3 * chunks + pieceChunk[piece];
            if (fragments[f] === 0) {
              gaps[st]++;
              continue;
            }
            const width = pieceStart[piece + 1] - pieceStart[piece];
            streamed[st] += area * width;
            indexEntries[st] += 1 + (gaps[st] >>> shift);
            fillers[st] += gaps[st] >>> shift;
            gaps[st] = 0;
            const ci = streamChannel[st];
            accumulations[ci] += width * winEntries;
            accesses[ci] += width * winAccesses;
            live[liveBase + piece] = 1;
          }
        }
      }
    }
  }
  let liveOutputs = 0;
  const slotsPerPiece = depthwise ? A3 : 1;
  for (let i = 0; i < pieces * slotsPerPiece; i++) {
    if (live[i] !== 0) {
      const piece = i % pieces;
      liveOutputs += pieceStart[piece + 1] - pieceStart[piece];
    }
  }
  const entries = new Float64Array(streams);
  for (let st = 0; st < streams; st++) entries[st] = streamed[st] + fillers[st];
  return {
    entries,
    streamed,
    indexEntries,
    fillers,
    kept,
    products,
    accumulations,
    accesses,
    liveOutputs,
  };
}

/** Tallies of the dense machine: every weight streamed, no indices, kernels known whole. */
export function tallyDense(plan: Plan): Tallies {
  const p = plan.problem;
  const { streams, chunks, chunkStart, streamChannel, tapHits } = plan;
  const entries = new Float64Array(streams);
  const kept = new Float64Array(p.inputChannels);
  const products = new Float64Array(p.inputChannels);
  const accesses = new Float64Array(p.inputChannels);
  let taps = 0;
  for (let i = 0; i < tapHits.length; i++) taps += tapHits[i];
  const window = plan.windowAccesses[0];
  for (let st = 0; st < streams; st++) {
    const c = st % chunks;
    const width = chunkStart[c + 1] - chunkStart[c];
    entries[st] = width * p.R * p.S;
    const ci = streamChannel[st];
    kept[ci] += width * p.R * p.S;
    products[ci] += width * taps;
    accesses[ci] += width * window;
  }
  return {
    entries,
    streamed: entries.slice(),
    indexEntries: new Float64Array(streams),
    fillers: new Float64Array(streams),
    kept,
    products,
    accumulations: products.slice(),
    accesses,
    liveOutputs: p.outputChannels,
  };
}

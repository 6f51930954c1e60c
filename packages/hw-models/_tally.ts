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

interface NibbleTables {
  readonly lead: Uint8Array;
  readonly trail: Uint8Array;
  readonly pop: Uint8Array;
  readonly inner: Uint8Array;
}

const nibbleCache = new Map<number, NibbleTables>();

/** Zero-run facts of every 4-element pattern (bit i = element i kept), for one index width. */
function nibbleTables(shift: number): NibbleTables {
  const cached = nibbleCache.get(shift);
  if (cached) return cached;
  const lead = new Uint8Array(16), trail = new Uint8Array(16);
  const pop = new Uint8Array(16), inner = new Uint8Array(16);
  for (let p = 1; p < 16; p++) {
    const ones: number[] = [];
    for (let b = 0; b < 4; b++) if (p & (1 << b)) ones.push(b);
    lead[p] = ones[0];
    trail[p] = 3 - ones[ones.length - 1];
    pop[p] = ones.length;
    for (let i = 1; i < ones.length; i++) inner[p] += (ones[i] - ones[i - 1] - 1) >>> shift;
  }
  const tables = { lead, trail, pop, inner };
  nibbleCache.set(shift, tables);
  return tables;
}

// Results of scanRun, kept in module state so the hot loop allocates nothing.
let runKept = 0;
let runFillers = 0;
let runGap = 0;
let runBad = 0;

/**
 * Walks mask bytes `[lo, hi)` of one stream in order: counts kept entries, fillers (a zero run of
 * `g` before a kept entry costs `g >>> shift` fillers) and the zero run left open at the end.
 * Aligned 4-byte words are handled whole through a 16-entry pattern table.
 */
function scanRun(
  m8: Uint8Array,
  m32: Uint32Array | null,
  lo: number,
  hi: number,
  gapIn: number,
  shift: number,
  t: NibbleTables,
): void {
  let kept = 0, fillers = 0, gap = gapIn, bad = 0;
  let i = lo;
  if (m32 !== null) {
    while (i < hi && (i & 3) !== 0) {
      const v = m8[i++];
      bad |= v;
      if (v !== 0) {
        fillers += gap >>> shift;
        gap = 0;
        kept++;
      } else gap++;
    }
    const wordEnd = hi >> 2;
    const { lead, trail, pop, inner } = t;
    for (let w = i >> 2; w < wordEnd; w++) {
      const x = m32[w];
      if (x === 0) {
        gap += 4;
        continue;
      }
      bad |= x;
      const p = (x | (x >>> 7) | (x >>> 14) | (x >>> 21)) & 15;
      fillers += ((gap + lead[p]) >>> shift) + inner[p];
      gap = trail[p];
      kept += pop[p];
    }
    if (wordEnd << 2 > i) i = wordEnd << 2;
  }
  for (; i < hi; i++) {
    const v = m8[i];
    bad |= v;
    if (v !== 0) {
      fillers += gap >>> shift;
      gap = 0;
      kept++;
    } else gap++;
  }
  runKept = kept;
  runFillers = fillers;
  runGap = gap;
  runBad |= bad;
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
  const { streams, chunks, chunkStart, streamChannel, tapHits } = plan;
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
    const tables = nibbleTables(shift);
    const live32 = m32 !== null && A4 % 4 === 0 && live.length % 4 === 0
      ? new Uint32Array(live.buffer)
      : null;
    let row = 0;
    for (let rs = 0; rs < R * S; rs++) {
      const tap = tapHits[rs];
      for (let a3 = 0; a3 < A3; a3++, row += A4) {
        for (let c = 0; c < chunks; c++) {
          const st = a3 * chunks + c;
          scanRun(mask, m32, row + chunkStart[c], row + chunkStart[c + 1], gaps[st], shift, tables);
          gaps[st] = runGap;
          if (runKept === 0 && runFillers === 0) continue;
          streamed[st] += runKept;
          fillers[st] += runFillers;
          const ci = streamChannel[st];
          kept[ci] += runKept;
          products[ci] += runKept * tap;
        }
        const liveBase = depthwise ? a3 * A4 : 0;
        if (live32 !== null) {
          const w0 = row >> 2, l0 = liveBase >> 2;
          for (let j = 0; j < A4 >> 2; j++) live32[l0 + j] |= m32![w0 + j];
        } else {
          for (let a4 = 0; a4 < A4; a4++) live[liveBase + a4] |= mask[row + a4];
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
  const fragments = new Int32Array(nRB * nSB * A3 * pieces);
  let bad = 0;
  let row = 0;
  for (let r = 0; r < R; r++) {
    const rb = Math.floor(r / br);
    for (let s = 0; s < S; s++) {
      const tap = tapHits[r * S + s];
      const sb = Math.floor(s / bs);
      for (let a3 = 0; a3 < A3; a3++, row += A4) {
        const fb = ((rb * nSB + sb) * A3 + a3) * pieces;
        for (let c = 0; c < chunks; c++) {
          let k = 0;
          const end = chunkStart[c + 1];
          for (let a4 = chunkStart[c]; a4 < end; a4++) {
            const v = mask[row + a4];
            bad |= v;
            k += v;
            fragments[fb + pieceOf[a4]] += v;
          }
          if (k === 0) continue;
          const ci = streamChannel[a3 * chunks + c];
          kept[ci] += k;
          products[ci] += k * tap;
        }
      }
    }
  }
  if ((bad & 0xfe) !== 0) throw badMask(p.name, mask);

  // Stage 2: one step per fragment, in stream order (rb, sb, piece) for every stream.
  const accumulations = new Float64Array(channels);
  const accesses = new Float64Array(channels);
  const { windowEntries, windowAccesses } = plan;
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

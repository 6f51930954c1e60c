import { grainSizes, LayerError } from "@sparsegrain/core";
import type { Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { CHUNK, compactKept, maskWords } from "./_compact.ts";
import { blockWalk, scanBlocksInMemoryOrder } from "./_memory_order.ts";
import type { BlockWalk } from "./_memory_order.ts";
import type { BitSink } from "./_stream.ts";
import { rawBits, scaleOf } from "./_values.ts";
import type { ValueCoder } from "./_values.ts";

export { CHUNK, compactKept, maskWords } from "./_compact.ts";
export type { MaskWords } from "./_compact.ts";

/**
 * How to list the elements of every grain quickly, in linearisation order. For a block tiling,
 * a full (interior) block's elements are `base[g] + rel[k]`; edge blocks, and grains without a
 * block layout, go through `grains.elementsOf` (marked by `base[g] = -1`).
 */
export interface GrainOrder {
  /** True when grain `g` is element `g` (every block one element). */
  readonly identity: boolean;
  /** Element offsets of a full block relative to its first element (length `maxSize`). */
  readonly rel: Int32Array;
  /**
   * First element of every full grain, -1 for the others (undefined when `identity`); built on
   * first use.
   */
  readonly base: Int32Array | undefined;
  /** Size of every grain, or undefined when all have `maxSize`. */
  readonly sizes: Int32Array | undefined;
  /** Tables to visit block grains in memory order (undefined for identity or non-block grains). */
  readonly walk: BlockWalk | undefined;
}

/** Builds the fast element listing of `grains`. */
export function grainOrder(grains: Grains): GrainOrder {
  const layout = grains.block;
  if (layout === undefined) {
    return {
      identity: false,
      rel: new Int32Array(0),
      base: new Int32Array(grains.count).fill(-1),
      sizes: grainSizes(grains),
      walk: undefined,
    };
  }
  const pad = 4 - layout.shape.length;
  const dims = [1, 1, 1, 1];
  const block = [1, 1, 1, 1];
  for (let i = 0; i < layout.shape.length; i++) {
    dims[pad + i] = layout.shape[i];
    block[pad + i] = layout.block[i];
  }
  if (block.every((b) => b === 1)) {
    return {
      identity: true,
      rel: new Int32Array([0]),
      base: undefined,
      sizes: undefined,
      walk: undefined,
    };
  }
  const [A, B, C, D] = dims;
  const [b0, b1, b2, b3] = block;
  const strides = [B * C * D, C * D, D, 1];
  const rel = new Int32Array(b0 * b1 * b2 * b3);
  let k = 0;
  for (let a = 0; a < b0; a++) {
    for (let b = 0; b < b1; b++) {
      for (let c = 0; c < b2; c++) {
        for (let d = 0; d < b3; d++) {
          rel[k++] = a * strides[0] + b * strides[1] + c * strides[2] + d;
        }
      }
    }
  }
  // the grain-order writers and decoders need `base`; the memory-order writers do not
  let base: Int32Array | undefined;
  const bases = (): Int32Array => {
    const grid = dims.map((d, i) => Math.ceil(d / block[i]));
    const out = new Int32Array(grains.count);
    let g = 0;
    for (let i0 = 0; i0 < grid[0]; i0++) {
      const full0 = (i0 + 1) * b0 <= A;
      for (let i1 = 0; i1 < grid[1]; i1++) {
        const full1 = full0 && (i1 + 1) * b1 <= B;
        for (let i2 = 0; i2 < grid[2]; i2++) {
          const full2 = full1 && (i2 + 1) * b2 <= C;
          const start = i0 * b0 * strides[0] + i1 * b1 * strides[1] + i2 * b2 * strides[2];
          for (let i3 = 0; i3 < grid[3]; i3++) {
            const full = full2 && (i3 + 1) * b3 <= D;
            out[g++] = full ? start + i3 * b3 : -1;
          }
        }
      }
    }
    return out;
  };
  const walk = blockWalk(grains, layout);
  return {
    identity: false,
    rel,
    get base(): Int32Array {
      return (base ??= bases());
    },
    sizes: walk.sizes,
    walk,
  };
}

/** What {@link scanGrains} learns about a masked layer. */
export interface GrainScan {
  /** Per grain, non-zero when kept (the mask itself for identity grains). */
  readonly flags: Uint8Array;
  /** Kept grains. */
  readonly keptGrains: number;
  /** Kept elements. */
  readonly keptElements: number;
  /** Largest |w| over kept elements. */
  readonly maxAbs: number;
  /**
   * Every kept grain's index in order, so that a writer need not find them again: always for
   * block tilings, and for element grains unless more than half of them are kept.
   */
  readonly keptIndex?: Int32Array;
}

/**
 * One pass over the layer (in memory order for block tilings, see _memory_order.ts; in grain
 * order for other grains): checks that the mask keeps or prunes whole grains and that kept
 * weights are finite (`LayerError` naming the layer otherwise), flags kept grains and finds the
 * largest kept |w|.
 */
export function scanGrains(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  order: GrainOrder,
): GrainScan {
  const values = layer.values;
  if (!(values instanceof Float32Array) || values.length !== grains.elements) {
    throw new LayerError(
      layer.name,
      "values",
      `${values?.length} values but the grains cover ${grains.elements} elements: encode the layer with its own grains`,
    );
  }
  if (!(mask instanceof Uint8Array) || mask.length !== grains.elements) {
    throw new LayerError(
      layer.name,
      "mask",
      `expected a Uint8Array of ${grains.elements} entries, found ${
        mask instanceof Uint8Array ? mask.length : typeof mask
      }: pass a keep mask over the layer's elements`,
    );
  }
  const scan = order.identity
    ? scanElements(values, mask)
    : order.walk !== undefined
    ? memoryScan(layer.name, values, mask, grains, order.walk)
    : scanBlocks(layer.name, values, mask, grains, order);
  if (!scan.finite) {
    for (let e = 0; e < values.length; e++) {
      if (mask[e] !== 0 && !Number.isFinite(values[e])) {
        throw new LayerError(
          layer.name,
          "values",
          `kept weight ${e} is ${
            values[e]
          }: encode finite weights only (check training for divergence)`,
        );
      }
    }
  }
  return scan;
}

/** What every encoder learns before it writes: {@link scanGrains} and the value scale. */
export interface EncodingScan {
  readonly order: GrainOrder;
  readonly scan: GrainScan;
  /** The raw IEEE bits of the layer's values. */
  readonly raw: Uint32Array;
  /** Scale of the `valueBits`-bit codes (0 at 32 bits). */
  readonly scale: number;
}

/**
 * The first step of every encoder: the grain order of `grains`, one {@link scanGrains} pass
 * (which validates the mask and the values) and the scale that fits the kept weights into
 * `valueBits`-bit codes.
 */
export function scanForEncoding(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
): EncodingScan {
  const order = grainOrder(grains);
  const scan = scanGrains(layer, mask, grains, order);
  return { order, scan, raw: rawBits(layer.values), scale: scaleOf(scan.maxAbs, valueBits) };
}

/** The block-row scan, whose NaN-sticky largest |w| is its finiteness check. */
function memoryScan(
  name: string,
  values: Float32Array,
  mask: Mask,
  grains: Grains,
  walk: BlockWalk,
): Scanned {
  const scan = scanBlocksInMemoryOrder(name, values, mask, grains, walk);
  return { ...scan, keptIndex: scan.kept, finite: Number.isFinite(scan.maxAbs) };
}

interface Scanned extends GrainScan {
  /** False when a kept weight is not finite. */
  readonly finite: boolean;
}

/** Kept indices the element scan keeps for the writer: at most half of the elements. */
const KEEP_INDEX_SHARE = 0.5;

/**
 * The scan for element-wise grains, chunk by chunk over the kept elements. Unless more than
 * half of the elements are kept, their indices are kept for the writer (compacted straight into
 * a list that grows as needed).
 */
function scanElements(values: Float32Array, mask: Mask): Scanned {
  let maxAbs = 0;
  let nan = false;
  let kept = 0;
  const n = mask.length;
  const words = maskWords(mask);
  const most = Math.floor(n * KEEP_INDEX_SHARE) + CHUNK;
  const index = new Int32Array(CHUNK);
  let all: Int32Array | undefined = new Int32Array(Math.min(most, (n >>> 3) + CHUNK));
  for (let start = 0; start < n; start += CHUNK) {
    if (all !== undefined && kept + CHUNK > all.length) {
      const size = Math.min(most, 2 * all.length);
      if (kept + CHUNK > size) all = undefined;
      else {
        const grown = new Int32Array(size);
        grown.set(all.subarray(0, kept));
        all = grown;
      }
    }
    const out = all === undefined ? index : all.subarray(kept);
    const k = compactKept(words, start, Math.min(n, start + CHUNK), out);
    for (let j = 0; j < k; j++) {
      const a = Math.abs(values[out[j]]);
      // a new largest, or NaN: rare, so the branch is predicted
      if (!(a <= maxAbs)) {
        if (a === a) maxAbs = a;
        else nan = true;
      }
    }
    kept += k;
  }
  return {
    flags: mask,
    keptGrains: kept,
    keptElements: kept,
    maxAbs,
    finite: !nan && Number.isFinite(maxAbs),
    keptIndex: all?.subarray(0, kept),
  };
}

/** The scan for block grains: also checks that every grain is wholly kept or pruned. */
function scanBlocks(
  name: string,
  values: Float32Array,
  mask: Mask,
  grains: Grains,
  order: GrainOrder,
): Scanned {
  let maxAbs = 0;
  let total = 0;
  let keptGrains = 0;
  let keptElements = 0;
  const flags = new Uint8Array(grains.count);
  const base = order.base!;
  const rel = order.rel;
  const full = grains.maxSize;
  const buffer = new Int32Array(full);
  for (let g = 0; g < grains.count; g++) {
    const start = base[g];
    let n = full;
    let count = 0;
    if (start >= 0) {
      for (let k = 0; k < full; k++) count += (mask[start + rel[k]] + 255) >>> 8; // kept: 1
      if (count === 0) continue;
      if (count === full) {
        for (let k = 0; k < full; k++) {
          const a = Math.abs(values[start + rel[k]]);
          if (a > maxAbs) maxAbs = a;
          total += a;
        }
      }
    } else {
      n = grains.elementsOf(g, buffer);
      for (let k = 0; k < n; k++) count += (mask[buffer[k]] + 255) >>> 8;
      if (count === 0) continue;
      if (count === n) {
        for (let k = 0; k < n; k++) {
          const a = Math.abs(values[buffer[k]]);
          if (a > maxAbs) maxAbs = a;
          total += a;
        }
      }
    }
    if (count !== n) {
      throw new LayerError(
        name,
        "mask",
        `grain ${g} has ${count} of its ${n} elements kept: keep or prune whole grains (expand a grain mask with expandGrainMask)`,
      );
    }
    flags[g] = 1;
    keptGrains++;
    keptElements += n;
  }
  return { flags, keptGrains, keptElements, maxAbs, finite: Number.isFinite(total) };
}

/**
 * Writes the elements of grain `g` into `buffer` (linearisation order) and returns how many,
 * using the fast forms of `order` when it can.
 */
export function elementsOfGrain(
  grains: Grains,
  order: GrainOrder,
  g: number,
  buffer: Int32Array,
): number {
  if (order.identity) {
    buffer[0] = g;
    return 1;
  }
  const start = order.base![g];
  if (start < 0) return grains.elementsOf(g, buffer);
  const rel = order.rel;
  for (let k = 0; k < rel.length; k++) buffer[k] = start + rel[k];
  return rel.length;
}

/**
 * For the general (reference) writers: a function that puts the words of every element of a
 * grain, in linearisation order, into `sink`, quantised by `coder`.
 */
export function grainWordWriter(
  values: Float32Array,
  grains: Grains,
  order: GrainOrder,
  coder: ValueCoder,
  sink: BitSink,
): (g: number) => void {
  const raw = rawBits(values);
  const buffer = new Int32Array(grains.maxSize);
  return (g) => {
    const n = elementsOfGrain(grains, order, g, buffer);
    for (let k = 0; k < n; k++) {
      const e = buffer[k];
      sink.putWide(coder.word(values[e], raw[e]), coder.bits);
    }
  };
}

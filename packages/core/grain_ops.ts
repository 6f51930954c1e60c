import { blockIndex } from "./_block_index.ts";
import type { Grains, Mask } from "./types.ts";

/** How {@link reduceGrains} folds the elements of a grain. */
export type GrainReduction = "sum-abs" | "sum-squares" | "max-abs";

/**
 * Folds a layer's values per grain: sum of |w|, sum of w², or max |w|. Uses the block layout
 * when the grains have one (no per-element grain lookups), else `grains.elementGrain()`.
 *
 * @param values the tensor, `grains.elements` long
 * @param grains the partition
 * @param reduction how to fold a grain
 * @returns one value per grain
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, reduceGrains } from "@sparsegrain/core";
 * const rows = blockGrains([2, 2], [1, 2]);
 * const l1 = reduceGrains(new Float32Array([1, -2, 3, -4]), rows, "sum-abs");
 * assert(l1[0] === 3 && l1[1] === 7);
 * ```
 */
export function reduceGrains(
  values: Float32Array,
  grains: Grains,
  reduction: GrainReduction,
): Float32Array {
  const out = new Float32Array(grains.count);
  const layout = grains.block;
  const squares = reduction === "sum-squares";
  if (layout && blockIndex(layout).identity) {
    if (squares) { for (let e = 0; e < values.length; e++) out[e] = values[e] * values[e]; }
    else for (let e = 0; e < values.length; e++) out[e] = Math.abs(values[e]);
    return out;
  }
  const max = reduction === "max-abs";
  if (!layout) {
    const map = grains.elementGrain();
    for (let e = 0; e < values.length; e++) {
      const v = values[e];
      const g = map[e];
      if (max) out[g] = Math.max(out[g], Math.abs(v));
      else out[g] += squares ? v * v : Math.abs(v);
    }
    return out;
  }
  const { dims: [A, B, C, D], offsets: [oA, oB, oC, oD], block } = blockIndex(layout);
  const unitLast = block[3] === 1;
  let e = 0;
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const gab = oA[a] + oB[b];
      for (let c = 0; c < C; c++) {
        const g = gab + oC[c];
        if (unitLast && !max) {
          if (squares) {
            for (let d = 0; d < D; d++, e++) out[g + d] += values[e] * values[e];
          } else for (let d = 0; d < D; d++, e++) out[g + d] += Math.abs(values[e]);
        } else {
          for (let d = 0; d < D; d++, e++) {
            const v = values[e];
            const gi = g + oD[d];
            if (max) out[gi] = Math.max(out[gi], Math.abs(v));
            else out[gi] += squares ? v * v : Math.abs(v);
          }
        }
      }
    }
  }
  return out;
}

/**
 * Counts the kept (non-zero) mask entries of every grain.
 *
 * @param mask keep mask over elements
 * @param grains the partition
 * @returns kept elements per grain
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, countKeptPerGrain } from "@sparsegrain/core";
 * const counts = countKeptPerGrain(new Uint8Array([1, 1, 0, 1]), blockGrains([2, 2], [1, 2]));
 * assert(counts[0] === 2 && counts[1] === 1);
 * ```
 */
export function countKeptPerGrain(mask: Mask, grains: Grains): Int32Array {
  const out = new Int32Array(grains.count);
  const layout = grains.block;
  if (layout) {
    const index = blockIndex(layout);
    if (index.identity) {
      for (let e = 0; e < mask.length; e++) out[e] = mask[e] !== 0 ? 1 : 0;
      return out;
    }
    const { dims: [A, B, C, D], offsets: [oA, oB, oC, oD] } = index;
    let e = 0;
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) {
        const gab = oA[a] + oB[b];
        for (let c = 0; c < C; c++) {
          const g = gab + oC[c];
          for (let d = 0; d < D; d++) if (mask[e++] !== 0) out[g + oD[d]]++;
        }
      }
    }
    return out;
  }
  const map = grains.elementGrain();
  for (let e = 0; e < mask.length; e++) if (mask[e] !== 0) out[map[e]]++;
  return out;
}

/**
 * Expands a mask over grains to a mask over elements.
 *
 * @param grainMask one entry per grain, non-zero keeps the grain
 * @param grains the partition
 * @returns a keep mask over elements (0 or 1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, expandGrainMask } from "@sparsegrain/core";
 * const mask = expandGrainMask(new Uint8Array([0, 1]), blockGrains([2, 2], [1, 2]));
 * assert(mask.join("") === "0011");
 * ```
 */
export function expandGrainMask(grainMask: Uint8Array, grains: Grains): Mask {
  const out = new Uint8Array(grains.elements);
  for (let g = 0; g < grainMask.length; g++) {
    if (grainMask[g] > 1) {
      grainMask = grainMask.map((m) => (m !== 0 ? 1 : 0)); // normalise once, then copy runs
      break;
    }
  }
  const layout = grains.block;
  if (layout) {
    const index = blockIndex(layout);
    if (index.identity) {
      out.set(grainMask);
      return out;
    }
    const { dims: [A, B, C, D], offsets: [oA, oB, oC, oD], block } = index;
    const unitLast = block[3] === 1;
    let e = 0;
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) {
        const gab = oA[a] + oB[b];
        for (let c = 0; c < C; c++) {
          const g = gab + oC[c];
          if (unitLast && D >= 16) {
            out.set(grainMask.subarray(g, g + D), e); // a run of consecutive grains
            e += D;
          } else if (unitLast) {
            for (let d = 0; d < D; d++) out[e++] = grainMask[g + d];
          } else {
            for (let d = 0; d < D; d++) out[e++] = grainMask[g + oD[d]];
          }
        }
      }
    }
    return out;
  }
  const map = grains.elementGrain();
  for (let e = 0; e < out.length; e++) out[e] = grainMask[map[e]];
  return out;
}

/**
 * The size in elements of every grain (all equal to `maxSize` for an evenly divided tiling).
 *
 * @param grains the partition
 * @returns elements per grain
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, grainSizes } from "@sparsegrain/core";
 * assert(grainSizes(blockGrains([5], [2])).join() === "2,2,1");
 * ```
 */
export function grainSizes(grains: Grains): Int32Array {
  return countKeptPerGrain(new Uint8Array(grains.elements).fill(1), grains);
}

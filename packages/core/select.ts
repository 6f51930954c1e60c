import type { GrainGroups } from "./types.ts";

/** One array of scores competing for a shared budget in {@link selectByBudget}. */
export interface Candidates {
  /** Finite, non-negative scores; higher is kept first. */
  readonly scores: Float32Array;
  /** Budget cost of each entry: one number for all, or one per entry. @default 1 */
  readonly weight?: number | Int32Array;
  /** When given, entries with 0 here are never kept. */
  readonly eligible?: Uint8Array;
  /** Name used in error messages (a layer name). */
  readonly label?: string;
}

const BINS = 65536;

/**
 * Keeps the highest-scoring entries across one or more score arrays until their total weight
 * reaches `budget`: exactly the smallest set, in descending score order, whose weight is at
 * least `budget`. Ties are broken by position (earlier array first, then lower index), so the
 * result is deterministic. Runs in two linear passes (a two-level radix select on the float bits,
 * the second level only over the entries of the boundary bin), with no sorting.
 *
 * @param candidates the score arrays
 * @param budget total weight to keep (with unit weights: how many entries)
 * @returns one keep mask (0/1) per candidate array
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectByBudget } from "@sparsegrain/core";
 * const [mask] = selectByBudget([{ scores: new Float32Array([0.5, 2, 0.5, 1]) }], 3);
 * assert(mask.join("") === "1101");
 * ```
 */
export function selectByBudget(candidates: readonly Candidates[], budget: number): Uint8Array[] {
  const keys = candidates.map((c) =>
    new Uint32Array(c.scores.buffer, c.scores.byteOffset, c.scores.length)
  );
  const out = candidates.map((c) => new Uint8Array(c.scores.length));
  const high = new Float64Array(BINS);
  const highCount = new Int32Array(BINS);
  let total = 0;
  candidates.forEach((c, ci) => {
    const k = keys[ci];
    const w = c.weight ?? 1;
    const el = c.eligible;
    if (typeof w === "number" && el === undefined) {
      // the common case, kept tight: count per bin, weigh afterwards
      const counts = new Int32Array(BINS);
      for (let i = 0; i < k.length; i++) {
        const key = k[i];
        if (key >= 0x7f800000) throw badScore(c, i);
        counts[key >>> 16]++;
      }
      for (let b = 0; b < BINS; b++) {
        if (counts[b] === 0) continue;
        high[b] += counts[b] * w;
        highCount[b] += counts[b];
      }
      total += k.length * w;
      return;
    }
    for (let i = 0; i < k.length; i++) {
      if (el !== undefined && el[i] === 0) continue;
      const key = k[i];
      if (key >= 0x7f800000) throw badScore(c, i);
      const wi = typeof w === "number" ? w : w[i];
      high[key >>> 16] += wi;
      highCount[key >>> 16]++;
      total += wi;
    }
  });
  if (budget <= 0) return out;
  if (budget >= total) {
    candidates.forEach((c, ci) => {
      const el = c.eligible;
      const o = out[ci];
      for (let i = 0; i < o.length; i++) o[i] = el === undefined || el[i] !== 0 ? 1 : 0;
    });
    return out;
  }
  // Pass 2: keep every entry above the boundary bin, collect the boundary bin's entries in order.
  let above = 0;
  let hb = BINS - 1;
  while (above + high[hb] < budget) above += high[hb--];
  const boundaryList = new Int32Array(highCount[hb]);
  const boundaryOwner = new Int32Array(highCount[hb]);
  let n = 0;
  candidates.forEach((c, ci) => {
    const k = keys[ci];
    const el = c.eligible;
    const o = out[ci];
    for (let i = 0; i < k.length; i++) {
      const h = k[i] >>> 16;
      if (h < hb) continue;
      if (el !== undefined && el[i] === 0) continue;
      if (h > hb) o[i] = 1;
      else {
        boundaryList[n] = i;
        boundaryOwner[n++] = ci;
      }
    }
  });
  // Inside the boundary bin: histogram of the low 16 bits, then take ties in order.
  const weightOf = (j: number) => {
    const w = candidates[boundaryOwner[j]].weight ?? 1;
    return typeof w === "number" ? w : w[boundaryList[j]];
  };
  const low = new Float64Array(BINS);
  for (let j = 0; j < n; j++) {
    low[keys[boundaryOwner[j]][boundaryList[j]] & 0xffff] += weightOf(j);
  }
  let lb = BINS - 1;
  while (above + low[lb] < budget) above += low[lb--];
  const need = budget - above;
  let taken = 0;
  for (let j = 0; j < n; j++) {
    const lowBits = keys[boundaryOwner[j]][boundaryList[j]] & 0xffff;
    if (lowBits > lb) out[boundaryOwner[j]][boundaryList[j]] = 1;
    else if (lowBits === lb && taken < need) {
      out[boundaryOwner[j]][boundaryList[j]] = 1;
      taken += weightOf(j);
    }
  }
  return out;
}

/**
 * Keeps exactly `keep` entries of `scores` (the highest; ties to the lower index).
 *
 * @param scores finite, non-negative scores
 * @param keep how many to keep
 * @param eligible optional: entries with 0 are never kept
 * @returns a keep mask (0/1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectTopK } from "@sparsegrain/core";
 * assert(selectTopK(new Float32Array([3, 1, 3, 2]), 2).join("") === "1010");
 * ```
 */
export function selectTopK(scores: Float32Array, keep: number, eligible?: Uint8Array): Uint8Array {
  return selectByBudget([{ scores, eligible }], keep)[0];
}

/**
 * Keeps exactly `groups.keep` entries in every group (N:M sparsity): the highest scores of the
 * group, ties to the lower index. Ineligible entries are never kept.
 *
 * @param scores finite, non-negative scores, one per grain
 * @param groups the grouping
 * @param eligible optional eligibility mask
 * @returns a keep mask (0/1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectPerGroup } from "@sparsegrain/core";
 * const groups = { count: 2, keep: 1, groupOf: new Int32Array([0, 0, 1, 1]) };
 * assert(selectPerGroup(new Float32Array([1, 2, 5, 5]), groups).join("") === "0110");
 * ```
 */
export function selectPerGroup(
  scores: Float32Array,
  groups: GrainGroups,
  eligible?: Uint8Array,
): Uint8Array {
  const { count, keep, groupOf } = groups;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < groupOf.length; i++) start[groupOf[i] + 1]++;
  for (let g = 0; g < count; g++) start[g + 1] += start[g];
  const members = new Int32Array(groupOf.length);
  const fill = start.slice(0, count);
  for (let i = 0; i < groupOf.length; i++) members[fill[groupOf[i]]++] = i;
  const out = new Uint8Array(scores.length);
  for (let g = 0; g < count; g++) {
    const list = Array.from(members.subarray(start[g], start[g + 1]))
      .filter((i) => eligible === undefined || eligible[i] !== 0);
    list.sort((a, b) => scores[b] - scores[a] || a - b);
    for (let j = 0; j < Math.min(keep, list.length); j++) out[list[j]] = 1;
  }
  return out;
}

function badScore(c: Candidates, i: number): RangeError {
  return new RangeError(
    `Saliency score ${i}${c.label ? ` of layer "${c.label}"` : ""} is ${
      c.scores[i]
    }: scores must be finite and non-negative, check the saliency metric and the weights`,
  );
}

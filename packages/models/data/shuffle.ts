/**
 * Seeded permutations for reproducible shuffling.
 *
 * @module
 */
import { seededRandom } from "@sparsegrain/core";

/**
 * A seeded random permutation of `0..n-1` (Fisher-Yates on core's `seededRandom`); the same
 * `(n, seed)` always gives the same order.
 *
 * @param n length
 * @param seed 32-bit integer seed
 * @returns the permutation
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shuffledIndices } from "@sparsegrain/models";
 * const p = shuffledIndices(5, 1);
 * assert([...p].sort().join() === "0,1,2,3,4");
 * assert(p.join() === shuffledIndices(5, 1).join());
 * ```
 */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * A small, fast, seeded pseudo-random generator (mulberry32) returning floats in [0, 1).
 *
 * @param seed any 32-bit integer
 * @returns a function producing the next number on each call
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "@sparsegrain/core";
 * const a = seededRandom(7), b = seededRandom(7);
 * assert(a() === b());
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded He-normal weights (`N(0, 2 / fanIn)`, fan-in = product of all axes but the last) for
 * running the study weight-free on architectures whose trained weights are not available.
 *
 * @param shape tensor shape, output axis last (tfjs layout)
 * @param seed seed of the generator
 * @returns the weights
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heNormalWeights } from "@sparsegrain/core";
 * const w = heNormalWeights([3, 3, 64, 64], 1);
 * assert(w.length === 36864);
 * ```
 */
export function heNormalWeights(shape: readonly number[], seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const fanIn = size / shape[shape.length - 1];
  const std = Math.sqrt(2 / fanIn);
  const random = seededRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i += 2) {
    // Box-Muller: two normals per pair of uniforms
    const r = Math.sqrt(-2 * Math.log(1 - random())) * std;
    const theta = 2 * Math.PI * random();
    out[i] = r * Math.cos(theta);
    if (i + 1 < size) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

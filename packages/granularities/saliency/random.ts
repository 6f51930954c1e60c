import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { checkScoreInputs } from "./_scores.ts";

/** Options of {@link randomSaliency}. */
export interface RandomSaliencyOptions {
  /**
   * Seed (an unsigned 32-bit integer). The scores of a layer depend only on the seed and the
   * layer's name, so every run and every granularity sees the same stream.
   *
   * @default {0}
   */
  readonly seed?: number;
}

/**
 * The random saliency, registered as `"random"`: every grain scores a uniform number in
 * `[0, 1)` from a mulberry32 generator seeded by `seed` mixed with an FNV-1a hash of the layer
 * name. Deterministic; a baseline that ignores the weights.
 *
 * @param options the seed
 * @returns the metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { randomSaliency } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [4, 4], values: new Float32Array(16) };
 * const a = randomSaliency({ seed: 7 }).score(layer, blockGrains([4, 4], [1, 1]));
 * const b = randomSaliency({ seed: 7 }).score(layer, blockGrains([4, 4], [1, 1]));
 * assert(a.join() === b.join() && a.every((s) => s >= 0 && s < 1));
 * ```
 */
export function randomSaliency(options?: RandomSaliencyOptions): SaliencyMetric {
  checkOptionKeys("random", options, ["seed"]);
  const seed = integerIn("random", "seed", options?.seed, 0, 0xffffffff, 0);
  return {
    name: "random",
    version: "1.0.0",
    options: { seed },
    describe: () =>
      `Random: uniform scores from mulberry32, seed ${seed} mixed with the layer name`,
    score(layer: LayerWeights, grains: Grains): Float32Array {
      checkScoreInputs(layer, grains);
      let state = (seed ^ fnv1a(layer.name)) >>> 0;
      const scores = new Float32Array(grains.count);
      for (let g = 0; g < scores.length; g++) {
        // mulberry32 (Tommy Ettinger), public domain
        state = (state + 0x6d2b79f5) | 0;
        let t = Math.imul(state ^ (state >>> 15), 1 | state);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        scores[g] = ((t ^ (t >>> 14)) >>> 8) / 16777216; // 24 bits: exact in float32, < 1
      }
      return scores;
    },
  };
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * An example granularity plugin: kernel **patterns** (pattern-based pruning, as in PatDNN, Niu et
 * al. ASPLOS 2020, and PCONV, Ma et al. AAAI 2020). Every 3x3 kernel `W[:, :, i, o]` keeps the
 * weights of exactly one of K fixed shapes of 4 positions and loses the other 5; the pattern id
 * (2 bits for K = 4, 3 for K = 8) is the only index a kept kernel needs.
 *
 * ## How pattern pruning maps onto the {@link Granularity} contract
 *
 * A granularity only *partitions* a layer into grains (every weight in exactly one grain); the
 * engine then keeps the best-scoring grains, or, when `grains.groups` is set, exactly
 * `groups.keep` grains per group. Patterns overlap (all contain the centre weight), so they
 * cannot all be grains at once, and the contract cannot let the saliency metric choose among
 * them. The closest faithful form, used here:
 *
 * 1. **The pattern is chosen in `partition`, from the weights**, with PatDNN's own rule: the
 *    pattern whose weights have the largest L2 norm (ties to the lower pattern id). The choice is
 *    exposed as `patternOf` on the returned grains.
 * 2. **Each 3x3 kernel becomes 1 + 5 grains**: its chosen pattern (4 weights) and its 5
 *    off-pattern weights as single-weight grains.
 * 3. **One group per kernel, keep 1** (`grains.groups`, the mechanism of N:M sparsity): the engine
 *    keeps exactly one grain of every kernel.
 *
 * With the study's L1 saliency (and L2 / sum of squares) the pattern always wins its group,
 * provided the pattern set covers all 9 positions (both built-in sets do): the chosen pattern
 * has the largest L2 norm, at least that of a pattern holding the kernel's largest weight, so its
 * L1 and L2 scores are at least those of any single weight, and ties go to the pattern (it has
 * the lower grain index). So every 3x3 kernel keeps exactly its pattern: 4 of 9 weights, a fixed
 * density of 4/9 on 3x3 layers **whatever the target density** (exactly like N:M sparsity, the
 * engine ignores the density for grouped grains). Saliency metrics that are not sums of
 * magnitudes (mean |w|, max |w|, Taylor, random, FPGM) may let one off-pattern weight win a
 * group; that kernel then keeps that single weight instead of its pattern (with the FPGM example
 * plugin on seeded He-normal 3x3 layers of 32x32, 64x64 and 128x64 channels: 1 kernel in 13,312).
 *
 * What the contract cannot express exactly: PatDNN's *connectivity pruning* (dropping whole
 * kernels to go below 4/9), which would need a budget over patterns while the off-pattern
 * weights are always pruned, and choosing the pattern by the configured saliency instead of by
 * L2 norm.
 *
 * ## Grain order and storage
 *
 * Grains `0..N-1` are the kernels' patterns (kernel `k = i * cout + o`, the order of 2-D kernel
 * grains), then the off-pattern weights, 5 per kernel. Inside a pattern, weights are listed in
 * row-major `(h, w)` order. Kept patterns are therefore consecutive grains: a relative-index
 * encoder writes index 0 before every kept pattern, spending its index slot (4 bits by default)
 * where the true format would store the pattern id (`ceil(log2 K)` bits); decoders read the
 * pattern ids from the grains (`patternOf`), which come from the same weights.
 *
 * ## Layers that are not 3x3
 *
 * `others: "skip"` (default) leaves 1x1, 5x5, non-square convs and dense layers dense
 * (`partition` returns `undefined`), as PatDNN applies patterns to 3x3 convs only;
 * `others: "element"` prunes them weight by weight at the target density (0-D), so a sweep's
 * density still acts on them. Depthwise 3x3 kernels `[3, 3, cin, multiplier]` get patterns too.
 *
 * @module
 */
import { blockGrains, ConfigError, LayerError } from "@sparsegrain/core";
import type { GrainGroups, Grains, Granularity, LayerWeights } from "@sparsegrain/core";

/**
 * The default pattern set (K = 4), as 3x3 masks in row-major order: the four 2x2 squares that
 * contain the centre weight (top-left, top-right, bottom-left, bottom-right). Together they cover
 * all 9 positions.
 */
export const SQUARE_PATTERNS: readonly string[] = [
  "110110000",
  "011011000",
  "000110110",
  "000011011",
];

/**
 * The K = 8 set: {@link SQUARE_PATTERNS} plus the four "T" shapes, the centre and three of its
 * four arms (without the bottom, left, top and right arm in turn).
 */
export const SQUARE_AND_T_PATTERNS: readonly string[] = [
  ...SQUARE_PATTERNS,
  "010111000",
  "010110010",
  "000111010",
  "010011010",
];

/** Options of {@link patternGranularity}. */
export interface PatternGranularityOptions {
  /**
   * The pattern set: `4` ({@link SQUARE_PATTERNS}), `8` ({@link SQUARE_AND_T_PATTERNS}), or
   * your own list of 2 to 16 masks, each 9 characters of `0`/`1` in row-major order, all with the
   * same number of ones.
   *
   * @default {4}
   */
  readonly patterns?: 4 | 8 | readonly string[];
  /**
   * What happens to layers without 3x3 kernels: `"skip"` leaves them dense, `"element"` prunes
   * them weight by weight.
   *
   * @default {"skip"}
   */
  readonly others?: "skip" | "element";
  /**
   * Registry name (give each configured instance its own).
   *
   * @default {"pattern"}
   */
  readonly name?: string;
}

/** Grains of a 3x3 layer cut into kernel patterns, with the pattern chosen for every kernel. */
export interface PatternGrains extends Grains {
  /** The pattern id (index into `patterns`) chosen for every kernel `k = i * cout + o`. */
  readonly patternOf: Uint8Array;
  /** The pattern set, as 9-character masks. */
  readonly patterns: readonly string[];
  /** The N:M-style constraint: one group per kernel, keep 1. */
  readonly groups: GrainGroups;
}

/** A granularity whose 3x3 partitions are {@link PatternGrains}. */
export interface PatternGranularity extends Granularity {
  /** Cuts 3x3 layers into patterns; other layers per the `others` option. */
  partition(layer: LayerWeights): PatternGrains | Grains | undefined;
}

/**
 * Builds the kernel-pattern granularity: every 3x3 kernel keeps the 4 weights of one of K fixed
 * patterns, chosen per kernel as the pattern of largest L2 norm (see the module doc for how this
 * maps onto the contract and why 3x3 layers end at density 4/9).
 *
 * @param options the pattern set, the policy for other layers, and the registry name
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { patternGranularity, type PatternGrains } from "./pattern_granularity.ts";
 * const values = new Float32Array(9).fill(0.1);
 * values[8] = 1; // the bottom-right weight dominates: the bottom-right square wins
 * const grains = patternGranularity().partition({
 *   name: "conv", kind: "conv2d", shape: [3, 3, 1, 1], values,
 * }) as PatternGrains;
 * assert(grains.patternOf[0] === 3 && grains.count === 6 && grains.groups.keep === 1);
 * ```
 */
export function patternGranularity(options: PatternGranularityOptions = {}): PatternGranularity {
  const name = options.name ?? "pattern";
  const patterns = resolvePatterns(name, options.patterns ?? 4);
  const others = options.others ?? "skip";
  if (others !== "skip" && others !== "element") {
    throw new ConfigError(
      `${name}.others`,
      `found ${JSON.stringify(others)}: use "skip" or "element"`,
    );
  }
  const on = patterns.map((p) => positions(p, "1"));
  const off = patterns.map((p) => positions(p, "0"));
  const size = on[0].length;
  const label = options.patterns === undefined || typeof options.patterns === "number"
    ? `${patterns.length} built-in`
    : `${patterns.length} custom`;
  return {
    name,
    version: "1.0.0",
    options: { patterns: [...patterns], others },
    describe: () =>
      `Kernel patterns: every 3x3 kernel keeps the ${size} weights of one of ${label} patterns (largest L2 norm), density ${size}/9 on 3x3 layers; ${
        others === "skip" ? "other layers left dense" : "other layers pruned weight by weight"
      }`,
    partition(layer: LayerWeights): PatternGrains | Grains | undefined {
      const [kh, kw] = layer.shape;
      const threeByThree = layer.kind !== "dense" && layer.shape.length === 4 && kh === 3 &&
        kw === 3;
      if (!threeByThree) {
        return others === "skip" ? undefined : blockGrains(layer.shape, layer.shape.map(() => 1));
      }
      return patternGrains(layer, patterns, on, off);
    },
  };
}

/**
 * The default instance, registered as `"pattern"` when this file is named under a sweep's
 * `plugins:` (K = 4 square patterns, non-3x3 layers left dense).
 */
export const pattern: PatternGranularity = patternGranularity();

/**
 * A second instance, registered as `"pattern8"`: the K = 8 set, non-3x3 layers left dense.
 */
export const pattern8: PatternGranularity = patternGranularity({ patterns: 8, name: "pattern8" });

function resolvePatterns(name: string, spec: 4 | 8 | readonly string[]): readonly string[] {
  if (spec === 4) return SQUARE_PATTERNS;
  if (spec === 8) return SQUARE_AND_T_PATTERNS;
  const field = `${name}.patterns`;
  if (!Array.isArray(spec)) {
    throw new ConfigError(
      field,
      `found ${JSON.stringify(spec)}: use 4, 8, or a list of 9-character "0"/"1" masks`,
    );
  }
  if (spec.length < 2 || spec.length > 16) {
    throw new ConfigError(field, `found ${spec.length} patterns: give 2 to 16`);
  }
  const seen = new Set<string>();
  let ones = -1;
  for (const [i, p] of spec.entries()) {
    if (typeof p !== "string" || !/^[01]{9}$/.test(p)) {
      throw new ConfigError(
        `${field}[${i}]`,
        `found ${JSON.stringify(p)}: write a 3x3 mask as 9 characters "0"/"1", row by row`,
      );
    }
    const n = positions(p, "1").length;
    if (n === 0 || n === 9) {
      throw new ConfigError(
        `${field}[${i}]`,
        `"${p}" keeps ${n} weights: a pattern keeps 1 to 8 of the 9`,
      );
    }
    if (ones !== -1 && n !== ones) {
      throw new ConfigError(
        `${field}[${i}]`,
        `"${p}" keeps ${n} weights but the first pattern keeps ${ones}: give every pattern the same number of ones`,
      );
    }
    if (seen.has(p)) {
      throw new ConfigError(`${field}[${i}]`, `"${p}" is listed twice: list each pattern once`);
    }
    seen.add(p);
    ones = n;
  }
  return [...spec];
}

function positions(mask: string, bit: "0" | "1"): Int32Array {
  const out: number[] = [];
  for (let p = 0; p < 9; p++) if (mask[p] === bit) out.push(p);
  return Int32Array.from(out);
}

/** The grains of one 3x3 layer (conv2d `[3, 3, cin, cout]` or depthwise `[3, 3, cin, m]`). */
function patternGrains(
  layer: LayerWeights,
  patterns: readonly string[],
  on: readonly Int32Array[],
  off: readonly Int32Array[],
): PatternGrains {
  const kernels = layer.shape[2] * layer.shape[3]; // N; element (p, k) is p * N + k
  const elements = 9 * kernels;
  if (layer.values.length !== elements) {
    throw new LayerError(
      layer.name,
      "values",
      `shape [${layer.shape}] holds ${elements} weights but ${layer.values.length} were given: pass values of the shape's size`,
    );
  }
  const values = layer.values;
  const patternOf = new Uint8Array(kernels);
  const squares = new Float64Array(9);
  for (let k = 0; k < kernels; k++) {
    for (let p = 0; p < 9; p++) {
      const v = values[p * kernels + k];
      squares[p] = v * v;
    }
    let best = -1;
    let bestId = 0;
    for (let id = 0; id < on.length; id++) {
      const ps = on[id];
      let sum = 0;
      for (let j = 0; j < ps.length; j++) sum += squares[ps[j]];
      if (sum > best) {
        best = sum;
        bestId = id;
      }
    }
    patternOf[k] = bestId;
  }
  const size = on[0].length;
  const rest = 9 - size;
  const count = kernels * (1 + rest);
  let groupOf: Int32Array | undefined;
  const groups: GrainGroups = {
    count: kernels,
    keep: 1,
    get groupOf(): Int32Array {
      if (groupOf === undefined) {
        groupOf = new Int32Array(count);
        for (let k = 0; k < kernels; k++) {
          groupOf[k] = k;
          for (let j = 0; j < rest; j++) groupOf[kernels + k * rest + j] = k;
        }
      }
      return groupOf;
    },
  };
  return {
    count,
    elements,
    maxSize: size,
    groups,
    patternOf,
    patterns,
    elementsOf(grain: number, out: Int32Array): number {
      if (grain < kernels) {
        const ps = on[patternOf[grain]];
        for (let j = 0; j < ps.length; j++) out[j] = ps[j] * kernels + grain;
        return ps.length;
      }
      const r = grain - kernels;
      const k = Math.floor(r / rest);
      out[0] = off[patternOf[k]][r - k * rest] * kernels + k;
      return 1;
    },
    elementGrain(): Int32Array {
      const map = new Int32Array(elements);
      for (let k = 0; k < kernels; k++) {
        const id = patternOf[k];
        const ps = on[id];
        for (let j = 0; j < ps.length; j++) map[ps[j] * kernels + k] = k;
        const qs = off[id];
        for (let j = 0; j < qs.length; j++) map[qs[j] * kernels + k] = kernels + k * rest + j;
      }
      return map;
    },
  };
}

/**
 * An example saliency plugin: **FPGM**, filter pruning via geometric median (He, Liu, Wang, Hu,
 * Yang, CVPR 2019). Norm-based criteria keep large filters; FPGM instead asks which filters are
 * *replaceable*: the geometric median of a layer's filters is the point of least total distance
 * to all of them, and a filter close to it carries information the others already share. So a
 * grain's score is its Euclidean distance to the geometric median: near the median = least
 * important = pruned first.
 *
 * ## What is scored
 *
 * Each grain is a vector of its weights, in `grains.elementsOf` order. Grains of the same size
 * are compared with each other: with 3-D (filter) grains that is exactly FPGM (one vector of
 * `kh * kw * cin` weights per output channel); with 2-D grains it scores kernels by their
 * distance to the median kernel, with 1-D grains rows by the median row, and with 0-D grains
 * single weights by `|w - median(w)|`. When a partition mixes sizes (edge blocks, kernel
 * patterns with single weights), each size class gets its own median.
 *
 * - `method: "median"` (default) computes the geometric median with Weiszfeld's algorithm
 *   (start at the mean; stop when a step moves less than `tolerance` times the mean distance,
 *   or after `maxIterations`), and scores `||x - median||_2`. One-weight grains use the exact
 *   median of the values.
 * - `method: "pairwise"` is the criterion of the FPGM reference code: the sum of distances from a
 *   grain to all other grains of its size (its minimiser among the grains is the one nearest the
 *   median). It costs `O(m^2 * size)` for `m` grains, so use it on filter grains.
 *
 * Grains whose weights are all zero (pruned in an earlier step) score 0 and take no part in the
 * median, so they cannot drag it towards zero. Scores are finite and non-negative; gradients are
 * not used. FPGM is a per-layer criterion: with `scope: "global"` the engine divides scores by
 * grain size, but distances of different layers are on different scales, so prefer the default
 * `scope: "layer"`.
 *
 * @module
 */
import { ConfigError, grainSizes } from "@sparsegrain/core";
import type { Grains, LayerWeights, SaliencyMetric } from "@sparsegrain/core";

/** Options of {@link fpgmSaliency}. */
export interface FpgmSaliencyOptions {
  /**
   * `"median"`: distance to the geometric median (Weiszfeld); `"pairwise"`: sum of distances to
   * the other grains of the same size (the reference implementation's criterion).
   *
   * @default {"median"}
   */
  readonly method?: "median" | "pairwise";
  /**
   * Most Weiszfeld iterations per size class.
   *
   * @default {200}
   */
  readonly maxIterations?: number;
  /**
   * Weiszfeld stops when a step moves the estimate by less than this fraction of the mean
   * distance from the grains to it.
   *
   * @default {1e-7}
   */
  readonly tolerance?: number;
  /**
   * Registry name.
   *
   * @default {"fpgm"}
   */
  readonly name?: string;
}

/**
 * Builds the FPGM saliency metric: each grain scores its Euclidean distance to the geometric
 * median of the layer's grains of the same size, so grains nearest the median are pruned first.
 *
 * @param options the method, Weiszfeld's stopping rule and the registry name
 * @returns the saliency metric
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { fpgmSaliency } from "./fpgm_saliency.ts";
 * // three output neurons of 2 inputs: (1, 1), (2, 1), (11, 1); the median is the middle one
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 3],
 *   values: new Float32Array([1, 2, 11, 1, 1, 1]) };
 * const neurons = blockGrains(layer.shape, [2, 1]);
 * const scores = fpgmSaliency().score(layer, neurons);
 * assert(Math.abs(scores[0] - 1) < 1e-4 && scores[1] < 1e-4 && Math.abs(scores[2] - 9) < 1e-4);
 * ```
 */
export function fpgmSaliency(options: FpgmSaliencyOptions = {}): SaliencyMetric {
  const name = options.name ?? "fpgm";
  const method = options.method ?? "median";
  if (method !== "median" && method !== "pairwise") {
    throw new ConfigError(
      `${name}.method`,
      `found ${JSON.stringify(method)}: use "median" or "pairwise"`,
    );
  }
  const maxIterations = options.maxIterations ?? 200;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new ConfigError(
      `${name}.maxIterations`,
      `found ${maxIterations}: use a whole number >= 1, e.g. 200`,
    );
  }
  const tolerance = options.tolerance ?? 1e-7;
  if (!(tolerance > 0 && tolerance < 1)) {
    throw new ConfigError(`${name}.tolerance`, `found ${tolerance}: use a number in (0, 1)`);
  }
  return {
    name,
    version: "1.0.0",
    options: { method, maxIterations, tolerance },
    describe: () =>
      method === "median"
        ? "FPGM: distance of each grain to the geometric median of the layer's grains of its size (nearest the median pruned first)"
        : "FPGM (pairwise): sum of distances from each grain to the layer's other grains of its size (smallest pruned first)",
    score(layer: LayerWeights, grains: Grains): Float32Array {
      const scores = new Float32Array(grains.count);
      for (const members of sizeClasses(grains)) {
        const size = members.size;
        const matrix = gather(layer.values, grains, members.ids, size);
        const active = nonZeroRows(matrix, members.ids.length, size);
        if (active.length === 0) continue;
        const distances = method === "pairwise"
          ? pairwiseSums(matrix, size, active)
          : size === 1
          ? scalarMedianDistances(matrix, active)
          : medianDistances(matrix, size, active, maxIterations, tolerance);
        for (let j = 0; j < active.length; j++) {
          scores[members.ids[active[j]]] = distances[j];
        }
      }
      return scores;
    },
  };
}

/** The default instance, registered as `"fpgm"` when this file is named under `plugins:`. */
export const fpgm: SaliencyMetric = fpgmSaliency();

/** Grain ids grouped by grain size. */
function sizeClasses(grains: Grains): { size: number; ids: Int32Array }[] {
  if (grains.count * grains.maxSize === grains.elements) {
    // every grain holds maxSize elements
    const ids = new Int32Array(grains.count);
    for (let g = 0; g < ids.length; g++) ids[g] = g;
    return [{ size: grains.maxSize, ids }];
  }
  const sizes = grainSizes(grains);
  const bySize = new Map<number, number[]>();
  for (let g = 0; g < sizes.length; g++) {
    const list = bySize.get(sizes[g]);
    if (list) list.push(g);
    else bySize.set(sizes[g], [g]);
  }
  return [...bySize.entries()].sort(([a], [b]) => a - b).map(([size, ids]) => ({
    size,
    ids: Int32Array.from(ids),
  }));
}

/** The grains' weights as rows of a row-major matrix. */
function gather(values: Float32Array, grains: Grains, ids: Int32Array, size: number): Float32Array {
  const matrix = new Float32Array(ids.length * size);
  const buffer = new Int32Array(grains.maxSize);
  for (let j = 0; j < ids.length; j++) {
    const n = grains.elementsOf(ids[j], buffer);
    const row = j * size;
    for (let t = 0; t < n; t++) matrix[row + t] = values[buffer[t]];
  }
  return matrix;
}

/** Indices of the rows with at least one non-zero weight. */
function nonZeroRows(matrix: Float32Array, rows: number, size: number): Int32Array {
  const out = new Int32Array(rows);
  let n = 0;
  for (let j = 0; j < rows; j++) {
    for (let t = j * size; t < (j + 1) * size; t++) {
      if (matrix[t] !== 0) {
        out[n++] = j;
        break;
      }
    }
  }
  return out.subarray(0, n);
}

/** `|x - median|` for one-weight grains (the median of an even count is the midpoint). */
function scalarMedianDistances(matrix: Float32Array, active: Int32Array): Float64Array {
  const sorted = new Float32Array(active.length); // the weights are float32: exact
  for (let j = 0; j < active.length; j++) sorted[j] = matrix[active[j]];
  sorted.sort();
  const m = sorted.length;
  const median = m % 2 === 1 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  const out = new Float64Array(active.length);
  for (let j = 0; j < active.length; j++) out[j] = Math.abs(matrix[active[j]] - median);
  return out;
}

/** Distances of the rows to their geometric median, found with Weiszfeld's algorithm. */
function medianDistances(
  matrix: Float32Array,
  size: number,
  active: Int32Array,
  maxIterations: number,
  tolerance: number,
): Float64Array {
  const m = active.length;
  let y = new Float64Array(size);
  for (let j = 0; j < m; j++) {
    const row = active[j] * size;
    for (let t = 0; t < size; t++) y[t] += matrix[row + t];
  }
  for (let t = 0; t < size; t++) y[t] /= m;
  let next = new Float64Array(size);
  const distances = new Float64Array(m);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    distancesTo(matrix, size, active, y, distances);
    let total = 0;
    for (let j = 0; j < m; j++) total += distances[j];
    const coincident = total * 1e-12 / m; // a grain this close is "at" the estimate
    next.fill(0);
    let weights = 0;
    for (let j = 0; j < m; j++) {
      const d = distances[j];
      if (d <= coincident) continue; // Weiszfeld's step is undefined at a data point: skip it
      const w = 1 / d;
      weights += w;
      const row = active[j] * size;
      for (let t = 0; t < size; t++) next[t] += w * matrix[row + t];
    }
    if (weights === 0) break; // every grain coincides with the estimate
    let move = 0;
    for (let t = 0; t < size; t++) {
      next[t] /= weights;
      const delta = next[t] - y[t];
      move += delta * delta;
    }
    [y, next] = [next, y];
    if (Math.sqrt(move) <= tolerance * (total / m)) break;
  }
  distancesTo(matrix, size, active, y, distances);
  return distances;
}

function distancesTo(
  matrix: Float32Array,
  size: number,
  active: Int32Array,
  point: Float64Array,
  out: Float64Array,
): void {
  for (let j = 0; j < active.length; j++) {
    const row = active[j] * size;
    let sum = 0;
    for (let t = 0; t < size; t++) {
      const delta = matrix[row + t] - point[t];
      sum += delta * delta;
    }
    out[j] = Math.sqrt(sum);
  }
}

/** For every row, the sum of its distances to all other rows. */
function pairwiseSums(matrix: Float32Array, size: number, active: Int32Array): Float64Array {
  const m = active.length;
  const out = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    const ra = active[a] * size;
    for (let b = a + 1; b < m; b++) {
      const rb = active[b] * size;
      let sum = 0;
      for (let t = 0; t < size; t++) {
        const delta = matrix[ra + t] - matrix[rb + t];
        sum += delta * delta;
      }
      const d = Math.sqrt(sum);
      out[a] += d;
      out[b] += d;
    }
  }
  return out;
}

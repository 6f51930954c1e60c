import { blockGrains } from "./block_grains.ts";
import { ConfigError, LayerError } from "./errors.ts";
import { countKeptPerGrain, expandGrainMask, grainSizes } from "./grain_ops.ts";
import { type Candidates, selectByBudget, selectPerGroup } from "./select.ts";
import type { Grains, Granularity, LayerWeights, Mask, SaliencyMetric } from "./types.ts";
import { validateLayer } from "./validate.ts";

/** A uniform density, or one per layer name (`"*"` is the default for unnamed layers). */
export type DensityTarget = number | Readonly<Record<string, number>>;

/** Options of {@link pruneLayers}. */
export interface PruneOptions {
  /** How layers are cut into grains. */
  readonly granularity: Granularity;
  /** How grains are scored. */
  readonly saliency: SaliencyMetric;
  /** Fraction of weights to keep, in (0, 1]: uniform, or a map per layer name. */
  readonly density: DensityTarget;
  /**
   * `"layer"`: each layer keeps its own density. `"global"`: one ranking across all pruned
   * layers by size-normalised saliency (score / grain size) until the kept weights reach the
   * uniform density of their total.
   * @default "layer"
   */
  readonly scope?: "layer" | "global";
  /** Layer-name patterns (`*` and `?` wildcards) left dense. @default [] */
  readonly exclude?: readonly string[];
  /** Loss gradients per layer name, for gradient-based saliency. */
  readonly gradients?: Readonly<Record<string, Float32Array>>;
  /** Masks of the previous pruning step per layer name: pruned grains stay pruned. */
  readonly previous?: Readonly<Record<string, Mask>>;
}

/** What {@link pruneLayers} decided for one layer. */
export interface LayerPruneResult {
  /** Layer name. */
  readonly layer: string;
  /** False when the layer was excluded or the granularity skips it (mask all ones). */
  readonly pruned: boolean;
  /** The grains the mask respects. */
  readonly grains: Grains;
  /** Keep mask over elements. */
  readonly mask: Mask;
  /** Grains kept. */
  readonly keptGrains: number;
  /** Kept elements / elements. */
  readonly density: number;
}

/**
 * Prunes layers with one granularity and saliency metric: scores every grain, keeps the best
 * grains and returns element masks. Kept counts are exact: per layer, `keep =
 * max(1, round(density * grains))` (`Math.round`, halves up) or all grains at density 1; N:M
 * granularities keep exactly N per group whatever the density. Ties are broken by grain index
 * (lower kept first), so results are deterministic.
 *
 * @param layers the layers (validated: shape, rank, finite weights)
 * @param options granularity, saliency, density and scope
 * @returns one result per layer, in input order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, pruneLayers, reduceGrains } from "@sparsegrain/core";
 * import type { Granularity, SaliencyMetric } from "@sparsegrain/core";
 * const rows: Granularity = { name: "rows", version: "1.0.0", describe: () => "rows",
 *   partition: (l) => blockGrains(l.shape, [1, l.shape[1]]) };
 * const l1: SaliencyMetric = { name: "l1", version: "1.0.0", describe: () => "L1",
 *   score: (l, g) => reduceGrains(l.values, g, "sum-abs") };
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 2], values: new Float32Array([1, 1, 0, 3]) };
 * const [result] = pruneLayers([layer], { granularity: rows, saliency: l1, density: 0.5 });
 * assert(result.mask.join("") === "0011");
 * ```
 */
export function pruneLayers(
  layers: readonly LayerWeights[],
  options: PruneOptions,
): LayerPruneResult[] {
  const scope = options.scope ?? "layer";
  if (scope === "global" && typeof options.density !== "number") {
    throw new ConfigError(
      "density",
      'global pruning needs one uniform density, not a map: give a number or use scope "layer"',
    );
  }
  if (typeof options.density === "number") checkDensity("density", options.density);
  const exclude = (options.exclude ?? []).map(globToRegExp);
  const names = new Set<string>();
  const plans = layers.map((layer) => {
    validateLayer(layer);
    if (names.has(layer.name)) {
      throw new LayerError(
        layer.name,
        "name",
        "two layers share this name: give each layer a unique name",
      );
    }
    names.add(layer.name);
    const partition = options.granularity.partition(layer);
    const excluded = exclude.some((re) => re.test(layer.name));
    const grains = partition ?? blockGrains(layer.shape, layer.shape.map(() => 1));
    if (grains.elements !== layer.values.length) {
      throw new LayerError(
        layer.name,
        "grains",
        `granularity "${options.granularity.name}" made grains over ${grains.elements} elements but the layer has ${layer.values.length}: fix the granularity's partition`,
      );
    }
    return { layer, grains, prune: partition !== undefined && !excluded };
  });
  const density = (name: string): number => {
    if (typeof options.density === "number") return options.density;
    const d = options.density[name] ?? options.density["*"];
    if (d === undefined) {
      throw new ConfigError(
        `density.${name}`,
        `the density map has no entry for layer "${name}": add "${name}" or "*" to the map, or exclude the layer`,
      );
    }
    checkDensity(`density.${name}`, d);
    return d;
  };
  // Densities are checked for every layer before any work; scores live one layer at a time
  // (per-layer scope), so peak memory is one layer's scores, not the model's.
  const targets = plans.map((p) => (p.prune && scope === "layer" ? density(p.layer.name) : 1));
  const grainMasks = new Map<number, Uint8Array>();
  const global: { index: number; candidate: Candidates }[] = [];
  let globalElements = 0;
  plans.forEach((p, i) => {
    if (!p.prune) return;
    const scores = options.saliency.score(p.layer, p.grains, {
      gradients: options.gradients?.[p.layer.name],
    });
    if (scores.length !== p.grains.count) {
      throw new LayerError(
        p.layer.name,
        "scores",
        `saliency "${options.saliency.name}" returned ${scores.length} scores for ${p.grains.count} grains: return one score per grain`,
      );
    }
    const previous = options.previous?.[p.layer.name];
    const eligible = previous ? eligibleGrains(p.layer.name, previous, p.grains) : undefined;
    if (p.grains.groups) {
      grainMasks.set(i, selectPerGroup(scores, p.grains.groups, eligible));
    } else if (scope === "global") {
      globalElements += p.grains.elements;
      global.push({ index: i, candidate: normalised(p.layer.name, scores, p.grains, eligible) });
    } else {
      const keep = targets[i] >= 1
        ? p.grains.count
        : Math.max(1, Math.round(targets[i] * p.grains.count));
      const candidate = { scores, eligible, label: p.layer.name };
      grainMasks.set(i, selectByBudget([candidate], keep)[0]);
    }
  });
  if (global.length > 0) {
    const budget = Math.round((options.density as number) * globalElements);
    selectByBudget(global.map((g) => g.candidate), budget)
      .forEach((m, j) => grainMasks.set(global[j].index, m));
  }

  return plans.map((s, i) => {
    const grainMask = grainMasks.get(i);
    const { grains } = s;
    const identity = grains.block !== undefined && grains.count === grains.elements;
    let keptGrains = grains.count;
    if (grainMask) {
      keptGrains = 0;
      for (let g = 0; g < grainMask.length; g++) keptGrains += grainMask[g];
    }
    const mask = grainMask === undefined
      ? new Uint8Array(s.layer.values.length).fill(1)
      : identity
      ? grainMask // over grains = over elements; already 0/1
      : expandGrainMask(grainMask, grains);
    let kept = keptGrains * grains.maxSize;
    if (grains.count * grains.maxSize !== grains.elements) {
      kept = 0;
      for (let e = 0; e < mask.length; e++) kept += mask[e];
    }
    return {
      layer: s.layer.name,
      pruned: grainMask !== undefined,
      grains,
      mask,
      keptGrains,
      density: kept / mask.length,
    };
  });
}

/** Scores divided by grain size, weighted by grain size, for the global ranking. */
function normalised(
  label: string,
  scores: Float32Array,
  grains: Grains,
  eligible: Uint8Array | undefined,
): Candidates {
  const even = grains.count * grains.maxSize === grains.elements;
  const weight = even ? grains.maxSize : grainSizes(grains);
  if (weight === 1) return { scores, weight, eligible, label };
  const out = new Float32Array(scores.length);
  for (let g = 0; g < out.length; g++) {
    out[g] = scores[g] / (typeof weight === "number" ? weight : weight[g]);
  }
  return { scores: out, weight, eligible, label };
}

function eligibleGrains(name: string, previous: Mask, grains: Grains): Uint8Array {
  if (previous.length !== grains.elements) {
    throw new LayerError(
      name,
      "previous mask",
      `it has ${previous.length} entries for ${grains.elements} weights: pass the mask from the same layer`,
    );
  }
  const counts = countKeptPerGrain(previous, grains);
  const eligible = new Uint8Array(grains.count);
  for (let g = 0; g < eligible.length; g++) eligible[g] = counts[g] > 0 ? 1 : 0;
  return eligible;
}

function checkDensity(field: string, d: number): void {
  if (!(typeof d === "number" && d > 0 && d <= 1)) {
    throw new ConfigError(
      field,
      `density must be in (0, 1], found ${d}: use the fraction of weights to keep, e.g. 0.3`,
    );
  }
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(
    /\?/g,
    ".",
  );
  return new RegExp(`^${body}$`);
}

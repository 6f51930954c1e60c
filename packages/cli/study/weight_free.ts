/**
 * Half (b) of a study: zoo architectures on seeded He-init weights (no training, clearly
 * labelled as such in every result), pruned at every granularity to uniform densities and to
 * per-layer density maps; storage from the encoders and memory references from the accelerator
 * models.
 *
 * @module
 */
import { heNormalWeights, type LayerWeights, pruneLayers, UserError } from "@sparsegrain/core";
import type { Study } from "../config/load.ts";
import type { Progress } from "../progress.ts";
import { type DensityMap, resolveDensityMap } from "../config/presets.ts";
import { type ResultLine, RESULTS_SCHEMA } from "../results/schema.ts";
import { callPlugin, maskPicture, measure, pictureLayer, pluginRecords } from "./measure.ts";
import { type ModelChoice, modelLabel, type WeightFreePoint } from "./points.ts";

/** The shape of one prunable layer, as a model summary gives it. */
export type LayerShape = Omit<LayerWeights, "values">;

/** Lists a zoo model's prunable layers (name, kind, shape, geometry) without training it. */
export type ModelShapes = (model: ModelChoice) => LayerShape[];

/** Seed of layer `i` of a model under a study seed. */
export function layerSeed(seed: number, i: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + i * 0x85ebca6b) | 0;
}

/** Fills layer shapes with seeded He-normal weights. */
export function heInitLayers(shapes: readonly LayerShape[], seed: number): LayerWeights[] {
  return shapes.map((s, i) => ({ ...s, values: heNormalWeights(s.shape, layerSeed(seed, i)) }));
}

/** Resolves a density (uniform or map name) against layer names. */
export function resolveDensity(
  study: Study,
  density: number | string,
  layers: readonly { name: string }[],
  model: string,
): number | Record<string, number> {
  if (typeof density === "number") return density;
  return resolveMap(study.densityMaps[density], density, layers, model, "density");
}

function resolveMap(
  map: DensityMap | undefined,
  name: string,
  layers: readonly { name: string }[],
  model: string,
  what: string,
): Record<string, number> {
  if (!map) {
    throw new UserError(`Unknown density map "${name}": define it under densityMaps`);
  }
  const { densities, unmatched } = resolveDensityMap(map, layers.map((l) => l.name));
  if (unmatched.length > 0) {
    throw new UserError(
      `The ${what} map "${name}" has no entry for layers ${
        unmatched.slice(0, 6).map((n) => `"${n}"`).join(", ")
      }${
        unmatched.length > 6 ? ` and ${unmatched.length - 6} more` : ""
      } of model "${model}": add them, or a "*" entry, to the map`,
    );
  }
  return densities;
}

/** Activation density per layer name. */
export function resolveActivation(
  study: Study,
  activation: number | string,
  layers: readonly { name: string }[],
  model: string,
): (layer: { name: string }) => number {
  if (typeof activation === "number") return () => activation;
  const map = resolveMap(study.densityMaps[activation], activation, layers, model, "activation");
  return (layer) => map[layer.name];
}

/** Overall density of a per-layer target, weighted by layer size (excluded layers count as 1). */
export function overallDensity(
  target: number | Record<string, number>,
  layers: readonly LayerShape[],
): number {
  if (typeof target === "number") return target;
  let kept = 0;
  let total = 0;
  for (const l of layers) {
    const n = l.shape.reduce((a, b) => a * b, 1);
    kept += (target[l.name] ?? 1) * n;
    total += n;
  }
  return total > 0 ? kept / total : 1;
}

/** Runs weight-free points one after another (see {@link weightFreeRunner}). */
export interface WeightFreeRunner {
  /** Runs one point: its line and its time in milliseconds, seeded weights included. */
  run(point: WeightFreePoint, progress: Progress): { line: ResultLine; ms: number };
  /** Drops the kept weights (before memory-hungry work such as training). */
  release(): void;
}

/**
 * Runs weight-free points, keeping the last model's seeded weights for the next point of the same
 * model and seed (points come grouped by model, so each model's weights are drawn once).
 */
export function weightFreeRunner(
  study: Study,
  shapes: (point: WeightFreePoint) => LayerShape[],
): WeightFreeRunner {
  let cached: { key: string; layers: LayerWeights[] } | undefined;
  return {
    run(point, progress) {
      progress.point(point.id, point.half);
      const t0 = performance.now();
      const key = `${JSON.stringify(point.model)}/s${point.seed}`;
      let generateMs = 0;
      if (cached?.key !== key) {
        cached = undefined; // release the previous model's weights first
        progress.detail(`${point.id}: generating seeded weights`, true);
        cached = { key, layers: heInitLayers(shapes(point), point.seed) };
        generateMs = performance.now() - t0;
      }
      const line = runWeightFreePoint(study, point, cached.layers, generateMs);
      return { line, ms: performance.now() - t0 };
    },
    release() {
      cached = undefined;
    },
  };
}

/** Runs one weight-free point on the given (seeded) layers. */
export function runWeightFreePoint(
  study: Study,
  point: WeightFreePoint,
  layers: readonly LayerWeights[],
  generateMs: number,
): ResultLine {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const density = resolveDensity(study, point.density, layers, point.model.name);
  const activation = resolveActivation(study, point.activation, layers, point.model.name);
  const pruned = callPlugin(
    point.granularity,
    `while pruning model "${point.model.name}"`,
    () =>
      pruneLayers(layers, {
        granularity: point.granularity.plugin,
        saliency: study.saliency.plugin,
        density,
        scope: study.config.scope,
        exclude: study.config.exclude,
      }),
  );
  const pruneMs = performance.now() - t0;
  const m = measure(study, layers, pruned, activation);
  const picLayer = pictureLayer(layers, study.config.report.maskLayer);
  const picIndex = picLayer ? layers.indexOf(picLayer) : -1;
  return {
    schema: RESULTS_SCHEMA,
    configHash: study.configHash,
    study: study.config.name,
    point: point.id,
    index: point.index,
    half: "weight-free",
    model: modelLabel(point.model),
    granularity: point.granularity.label,
    saliency: study.saliency.label,
    densityLabel: point.densityLabel,
    targetDensity: overallDensity(density, layers),
    seed: point.seed,
    plugins: pluginRecords(study, point.granularity.label),
    timings: {
      startedAt,
      totalMs: Math.round(performance.now() - t0 + generateMs),
      weightsMs: Math.round(generateMs),
      pruneMs: Math.round(pruneMs),
      storageMs: Math.round(m.storageMs),
      costMs: Math.round(m.costMs),
    },
    metrics: {
      params: m.params,
      kept: m.kept,
      density: m.params > 0 ? m.kept / m.params : 1,
      sparsity: m.params > 0 ? 1 - m.kept / m.params : 0,
      macs: m.macs,
      storage: m.storage,
      cost: m.cost,
      activation: point.activation,
      weights: "seeded He-normal (weight-free, untrained)",
    },
    layers: m.layers,
    ...(picLayer
      ? {
        maskPicture: maskPicture(picLayer, pruned[picIndex].mask, study.config.report.maskCrop),
      }
      : {}),
  };
}

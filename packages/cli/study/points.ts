/**
 * The points of a study, in a fixed order, grouped into work units that shards deal out. A point
 * is one line of results. Weight-free points are their own unit; the accuracy points of one
 * model, granularity and seed form one unit (a chain down the densities, each step starting
 * from the previous one's pruned, fine-tuned network).
 *
 * @module
 */
import type { Granularity } from "@sparsegrain/core";
import type { Chosen } from "../config/catalog.ts";
import type { Study } from "../config/load.ts";
import type { AccuracyModelConfig } from "../config/schema.ts";

/** A model entry resolved from either half of the config. */
export interface ModelChoice {
  readonly name: string;
  readonly input?: readonly [number, number, number];
  readonly classes?: number;
}

/** A weight-free point. */
export interface WeightFreePoint {
  readonly half: "weight-free";
  readonly id: string;
  readonly index: number;
  readonly model: ModelChoice;
  readonly granularity: Chosen<Granularity>;
  /** A uniform density, or a density map's name. */
  readonly density: number | string;
  readonly densityLabel: string;
  /** Activation density: a number or a density map's name. */
  readonly activation: number | string;
  readonly seed: number;
}

/** An accuracy point (one density of a chain). */
export interface AccuracyPoint {
  readonly half: "accuracy";
  readonly id: string;
  readonly index: number;
  readonly model: AccuracyModelConfig;
  readonly granularity: Chosen<Granularity>;
  readonly density: number;
  readonly densityLabel: string;
  /** Densities of the chain before this one (the previous point's is last). */
  readonly previous: readonly number[];
  readonly seed: number;
}

/** Any point. */
export type Point = WeightFreePoint | AccuracyPoint;

/** A unit of work a shard takes whole. */
export interface WorkUnit {
  readonly id: string;
  readonly points: readonly Point[];
}

/** The label of a model entry: its name, plus the input and classes when given. */
export function modelLabel(
  model: { name: string; input?: readonly number[]; classes?: number },
): string {
  return `${model.name}${model.input ? `@${model.input.join("x")}` : ""}${
    model.classes ? `/${model.classes}` : ""
  }`;
}

/** Formats a density for ids and labels (`0.3`, `0.05`). */
export function densityText(d: number): string {
  return String(Number(d.toPrecision(6)));
}

/** Enumerates the study's work units, weight-free half first. */
export function studyUnits(study: Study): WorkUnit[] {
  const units: WorkUnit[] = [];
  let index = 0;
  const { config } = study;
  const wf = config.weightFree;
  if (wf) {
    for (const entry of wf.models) {
      const m = typeof entry === "string" ? { name: entry, densityMaps: [] } : entry;
      const model: ModelChoice = {
        name: m.name,
        ...("input" in m && m.input ? { input: m.input } : {}),
        ...("classes" in m && m.classes ? { classes: m.classes } : {}),
      };
      const activation = ("activationDensity" in m ? m.activationDensity : undefined) ??
        wf.activationDensity;
      const densities: Array<number | string> = [...wf.densities, ...m.densityMaps];
      for (const seed of wf.seeds ?? config.seeds) {
        for (const density of densities) {
          for (const granularity of study.granularities) {
            const densityLabel = typeof density === "number" ? densityText(density) : density;
            const id = `wf/${modelLabel(model)}/${granularity.label}/${densityLabel}/s${seed}`;
            units.push({
              id,
              points: [{
                half: "weight-free",
                id,
                index: index++,
                model,
                granularity,
                density,
                densityLabel,
                activation,
                seed,
              }],
            });
          }
        }
      }
    }
  }
  const acc = config.accuracy;
  if (acc) {
    for (const model of acc.models) {
      for (const seed of config.seeds) {
        for (const granularity of study.granularities) {
          const label = modelLabel(model);
          const unitId = `acc/${label}/${granularity.label}/s${seed}`;
          const points: AccuracyPoint[] = acc.densities.map((density, i) => ({
            half: "accuracy",
            id: `acc/${label}/${granularity.label}/${densityText(density)}/s${seed}`,
            index: index + i,
            model,
            granularity,
            density,
            densityLabel: densityText(density),
            previous: acc.densities.slice(0, i),
            seed,
          }));
          index += points.length;
          units.push({ id: unitId, points });
        }
      }
    }
  }
  return units;
}

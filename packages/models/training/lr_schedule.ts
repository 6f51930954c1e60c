/**
 * Learning-rate schedules over the epochs of a training run.
 *
 * @module
 */
import { ConfigError } from "@sparsegrain/core";

/** A learning-rate schedule. */
export type LrSchedule =
  | { readonly name: "constant" }
  | {
    /** Multiply the rate by `gamma` every `every` epochs. */
    readonly name: "step";
    /** Epochs between drops. */
    readonly every: number;
    /** Factor per drop. @default 0.1 */
    readonly gamma?: number;
  }
  | {
    /** Half a cosine from the base rate down to `min` at the end of training. */
    readonly name: "cosine";
    /** Final rate. @default 0 */
    readonly min?: number;
  };

/**
 * The learning rate at a (fractional) epoch: `constant` keeps `base`; `step` multiplies by
 * `gamma` at every multiple of `every`; `cosine` is `min + (base - min) * (1 + cos(pi * epoch /
 * epochs)) / 2`. An optional linear warm-up from `base / 10` covers the first `warmup` epochs.
 *
 * @param schedule the schedule
 * @param base the base learning rate
 * @param epoch progress in epochs, `0 <= epoch <= epochs` (fractions within an epoch allowed)
 * @param epochs the run's length in epochs
 * @param warmup warm-up epochs @default 0
 * @returns the learning rate
 * @throws {ConfigError} for an unknown schedule or bad parameters
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { learningRateAt } from "@sparsegrain/models";
 * assert(learningRateAt({ name: "step", every: 10, gamma: 0.5 }, 0.1, 25, 30) === 0.025);
 * assert(learningRateAt({ name: "cosine" }, 0.1, 30, 30) === 0);
 * ```
 */
export function learningRateAt(
  schedule: LrSchedule,
  base: number,
  epoch: number,
  epochs: number,
  warmup = 0,
): number {
  if (!(base > 0 && Number.isFinite(base))) {
    throw new ConfigError(
      "learningRate",
      `expected a positive number, found ${base}: use e.g. 0.01`,
    );
  }
  let rate: number;
  switch (schedule.name) {
    case "constant":
      rate = base;
      break;
    case "step": {
      const gamma = schedule.gamma ?? 0.1;
      if (!(schedule.every > 0) || !(gamma > 0 && gamma <= 1)) {
        throw new ConfigError(
          "schedule",
          `step needs every > 0 and gamma in (0, 1], found every ${schedule.every}, gamma ${gamma}: use e.g. { name: "step", every: 10, gamma: 0.1 }`,
        );
      }
      rate = base * gamma ** Math.floor(epoch / schedule.every + 1e-9);
      break;
    }
    case "cosine": {
      const min = schedule.min ?? 0;
      if (!(min >= 0 && min <= base)) {
        throw new ConfigError(
          "schedule.min",
          `expected 0 <= min <= ${base}, found ${min}: use e.g. 0`,
        );
      }
      const p = epochs > 0 ? Math.min(Math.max(epoch / epochs, 0), 1) : 1;
      rate = min + (base - min) * (1 + Math.cos(Math.PI * p)) / 2;
      break;
    }
    default:
      throw new ConfigError(
        "schedule.name",
        `unknown schedule "${
          (schedule as { name: string }).name
        }": use "constant", "step" or "cosine"`,
      );
  }
  if (warmup > 0 && epoch < warmup) rate *= 0.1 + 0.9 * (epoch / warmup);
  return rate;
}

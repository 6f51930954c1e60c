import { ConfigError } from "./errors.ts";
import type { DensityTarget } from "./prune.ts";

/** A pruning schedule: the densities to prune to, one per step, ending at the final target. */
export interface Schedule {
  /** `"one-shot"`, `"iterative"` or `"agp"`. */
  readonly name: string;
  /** The targets of each step; the last equals `final`. */
  steps(final: DensityTarget): DensityTarget[];
}

/**
 * Prunes once, straight to the target.
 *
 * @returns the schedule
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneShot } from "@sparsegrain/core";
 * assert(oneShot().steps(0.1).join() === "0.1");
 * ```
 */
export function oneShot(): Schedule {
  return { name: "one-shot", steps: (final) => [final] };
}

/**
 * Prunes through a list of uniform densities: the listed densities above the final target,
 * then the target itself.
 *
 * @param densities decreasing densities in (0, 1]
 * @returns the schedule
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { iterative } from "@sparsegrain/core";
 * assert(iterative([0.5, 0.3, 0.2]).steps(0.25).join() === "0.5,0.3,0.25");
 * ```
 */
export function iterative(densities: readonly number[]): Schedule {
  densities.forEach((d, i) => {
    if (!(d > 0 && d <= 1) || (i > 0 && d >= densities[i - 1])) {
      throw new ConfigError(
        `schedule.densities[${i}]`,
        `found ${d}: list strictly decreasing densities in (0, 1], e.g. [0.5, 0.3, 0.2]`,
      );
    }
  });
  return {
    name: "iterative",
    steps(final) {
      if (typeof final !== "number") {
        throw new ConfigError(
          "schedule",
          'an iterative schedule needs a uniform density: use "agp" for per-layer maps',
        );
      }
      return [...densities.filter((d) => d > final), final];
    },
  };
}

/**
 * Automated gradual pruning (Zhu & Gupta 2017): sparsity follows a cubic from the initial to
 * the final value over `steps` steps, `s_t = s_f + (s_i - s_f)(1 - t/n)^3`, so in densities
 * `d_t = d_f + (d_i - d_f)(1 - t/n)^3` for `t = 1..n`, per layer when the target is a map.
 *
 * @param options number of steps and initial density
 * @returns the schedule
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { agp } from "@sparsegrain/core";
 * const steps = agp({ steps: 2 }).steps(0.2) as number[];
 * assert(Math.abs(steps[0] - 0.3) < 1e-12 && steps[1] === 0.2);
 * ```
 */
export function agp(options: { readonly steps: number; readonly initial?: number }): Schedule {
  const n = options.steps;
  const initial = options.initial ?? 1;
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new ConfigError("schedule.steps", `found ${n}: give a whole number of steps, at least 1`);
  }
  if (!(initial > 0 && initial <= 1)) {
    throw new ConfigError(
      "schedule.initial",
      `found ${initial}: give the starting density in (0, 1]`,
    );
  }
  const at = (t: number, final: number) =>
    t === n ? final : final + (initial - final) * (1 - t / n) ** 3;
  return {
    name: "agp",
    steps(final) {
      return Array.from(
        { length: n },
        (_, i) =>
          typeof final === "number"
            ? at(i + 1, final)
            : Object.fromEntries(Object.entries(final).map(([k, d]) => [k, at(i + 1, d)])),
      );
    },
  };
}

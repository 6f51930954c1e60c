import { PluginNotFoundError } from "@sparsegrain/core";
import type { SaliencyMetric } from "@sparsegrain/core";
import { checkOptionKeys } from "./_options.ts";
import { l1Saliency } from "./saliency/l1.ts";
import { l2Saliency } from "./saliency/l2.ts";
import { maxAbsSaliency } from "./saliency/max_abs.ts";
import { meanAbsSaliency } from "./saliency/mean_abs.ts";
import { randomSaliency } from "./saliency/random.ts";
import type { RandomSaliencyOptions } from "./saliency/random.ts";
import { taylorSaliency } from "./saliency/taylor.ts";

/** Registry names of the built-in saliency metrics. */
export const SALIENCY_NAMES: readonly string[] = [
  "l1",
  "l2",
  "mean-abs",
  "max-abs",
  "taylor",
  "random",
];

/**
 * Builds a built-in saliency metric from its registry name and options. Only `"random"` takes
 * an option (`seed`); unknown names throw `PluginNotFoundError`, unknown or bad options
 * `ConfigError`.
 *
 * @param name one of {@link SALIENCY_NAMES}
 * @param options the metric's options
 * @returns the metric
 * @example
 * ```ts
 * import { createSaliency } from "@sparsegrain/granularities";
 * console.assert(createSaliency("random", { seed: 3 }).options?.seed === 3);
 * ```
 */
export function createSaliency(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): SaliencyMetric {
  switch (name) {
    case "random":
      return randomSaliency(options as RandomSaliencyOptions);
    case "l1":
    case "l2":
    case "mean-abs":
    case "max-abs":
    case "taylor":
      checkOptionKeys(name, options, []);
      return {
        l1: l1Saliency,
        l2: l2Saliency,
        "mean-abs": meanAbsSaliency,
        "max-abs": maxAbsSaliency,
        taylor: taylorSaliency,
      }[name]();
    default:
      throw new PluginNotFoundError("saliency metric", name, SALIENCY_NAMES);
  }
}

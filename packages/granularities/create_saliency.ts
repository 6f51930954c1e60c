import type { SaliencyMetric } from "@sparsegrain/core";
import { builtinCreator } from "./_builtins.ts";
import type { BuiltinFactory, RawOptions } from "./_builtins.ts";
import { checkOptionKeys } from "./_options.ts";
import { l1Saliency } from "./saliency/l1.ts";
import { l2Saliency } from "./saliency/l2.ts";
import { maxAbsSaliency } from "./saliency/max_abs.ts";
import { meanAbsSaliency } from "./saliency/mean_abs.ts";
import { randomSaliency } from "./saliency/random.ts";
import { taylorSaliency } from "./saliency/taylor.ts";

/** The factory of a metric that takes no options: any option throws `ConfigError`. */
function withoutOptions(
  name: string,
  metric: () => SaliencyMetric,
): BuiltinFactory<SaliencyMetric> {
  return (options?: RawOptions) => {
    checkOptionKeys(name, options, []);
    return metric();
  };
}

const METRICS = builtinCreator<SaliencyMetric>("saliency metric", {
  l1: withoutOptions("l1", l1Saliency),
  l2: withoutOptions("l2", l2Saliency),
  "mean-abs": withoutOptions("mean-abs", meanAbsSaliency),
  "max-abs": withoutOptions("max-abs", maxAbsSaliency),
  taylor: withoutOptions("taylor", taylorSaliency),
  random: randomSaliency,
});

/** Registry names of the built-in saliency metrics. */
export const SALIENCY_NAMES: readonly string[] = METRICS.names;

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
 * import assert from "node:assert/strict";
 * import { createSaliency } from "@sparsegrain/granularities";
 * assert(createSaliency("random", { seed: 3 }).options?.seed === 3);
 * ```
 */
export function createSaliency(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): SaliencyMetric {
  return METRICS.create(name, options);
}

import { PluginNotFoundError } from "@sparsegrain/core";
import type { Granularity } from "@sparsegrain/core";
import { blockGranularity } from "./block.ts";
import type { BlockGranularityOptions } from "./block.ts";
import { channelGranularity } from "./channel.ts";
import { elementGranularity } from "./element.ts";
import { filterGranularity } from "./filter.ts";
import { kernelGranularity } from "./kernel.ts";
import { nmGranularity } from "./nm.ts";
import type { NmGranularityOptions } from "./nm.ts";
import type { LayerPolicyOptions } from "./policy.ts";
import { vectorGranularity } from "./vector.ts";
import type { VectorGranularityOptions } from "./vector.ts";

/** Registry names of the built-in granularities, in report order. */
export const GRANULARITY_NAMES: readonly string[] = [
  "0d",
  "1d",
  "2d",
  "3d",
  "channel",
  "nm",
  "block",
];

/**
 * Builds a built-in granularity from its registry name and options, as a config loader does.
 * Unknown names throw `PluginNotFoundError` listing the known ones; unknown or bad options
 * throw `ConfigError` naming `<name>.<option>`.
 *
 * @param name one of {@link GRANULARITY_NAMES}
 * @param options the factory's options (e.g. `{ axis: "column" }` for `"1d"`)
 * @returns the granularity
 * @example
 * ```ts
 * import { createGranularity } from "@sparsegrain/granularities";
 * const columns = createGranularity("1d", { axis: "column" });
 * console.assert(columns.options?.axis === "column");
 * ```
 */
export function createGranularity(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): Granularity {
  switch (name) {
    case "0d":
      return elementGranularity(options as LayerPolicyOptions);
    case "1d":
      return vectorGranularity(options as VectorGranularityOptions);
    case "2d":
      return kernelGranularity(options as LayerPolicyOptions);
    case "3d":
      return filterGranularity(options as LayerPolicyOptions);
    case "channel":
      return channelGranularity(options as LayerPolicyOptions);
    case "nm":
      return nmGranularity(options as NmGranularityOptions);
    case "block":
      return blockGranularity(options as BlockGranularityOptions);
    default:
      throw new PluginNotFoundError("granularity", name, GRANULARITY_NAMES);
  }
}

import type { Granularity } from "@sparsegrain/core";
import { builtinCreator } from "./_builtins.ts";
import { blockGranularity } from "./block.ts";
import { channelGranularity } from "./channel.ts";
import { elementGranularity } from "./element.ts";
import { filterGranularity } from "./filter.ts";
import { kernelGranularity } from "./kernel.ts";
import { nmGranularity } from "./nm.ts";
import { vectorGranularity } from "./vector.ts";

const GRANULARITIES = builtinCreator<Granularity>("granularity", {
  "0d": elementGranularity,
  "1d": vectorGranularity,
  "2d": kernelGranularity,
  "3d": filterGranularity,
  channel: channelGranularity,
  nm: nmGranularity,
  block: blockGranularity,
});

/** Registry names of the built-in granularities, in report order. */
export const GRANULARITY_NAMES: readonly string[] = GRANULARITIES.names;

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
 * import assert from "node:assert/strict";
 * import { createGranularity } from "@sparsegrain/granularities";
 * const columns = createGranularity("1d", { axis: "column" });
 * assert(columns.options?.axis === "column");
 * ```
 */
export function createGranularity(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): Granularity {
  return GRANULARITIES.create(name, options);
}

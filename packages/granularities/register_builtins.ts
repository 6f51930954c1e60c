import type { Registries } from "@sparsegrain/core";
import { createEncoder, ENCODER_NAMES } from "./create_encoder.ts";
import { createGranularity, GRANULARITY_NAMES } from "./create_granularity.ts";
import { createSaliency, SALIENCY_NAMES } from "./create_saliency.ts";

/**
 * Registers every built-in granularity (`0d`, `1d`, `2d`, `3d`, `channel`, `nm`, `block`),
 * saliency metric (`l1`, `l2`, `mean-abs`, `max-abs`, `taylor`, `random`) and encoder
 * (`dense`, `relative-index`, `bitmask`, `csr`) with default options. Nothing registers itself
 * on import; a name already taken throws `DuplicatePluginError`.
 *
 * @param registries the registries to fill (from core's `createRegistries()`)
 * @returns the same registries
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistries } from "@sparsegrain/core";
 * import { registerBuiltins } from "@sparsegrain/granularities";
 * const registries = registerBuiltins(createRegistries());
 * assert(registries.granularity.get("2d").name === "2d");
 * assert(registries.encoder.names().includes("relative-index"));
 * ```
 */
export function registerBuiltins(registries: Registries): Registries {
  for (const name of GRANULARITY_NAMES) registries.granularity.register(createGranularity(name));
  for (const name of SALIENCY_NAMES) registries.saliency.register(createSaliency(name));
  for (const name of ENCODER_NAMES) registries.encoder.register(createEncoder(name));
  return registries;
}

import type { Encoder } from "@sparsegrain/core";
import { builtinCreator } from "./_builtins.ts";
import { bitmaskEncoder } from "./encoders/bitmask.ts";
import { csrEncoder } from "./encoders/csr.ts";
import { denseEncoder } from "./encoders/dense.ts";
import { relativeIndexEncoder } from "./encoders/relative_index.ts";

const ENCODERS = builtinCreator<Encoder>("encoder", {
  dense: denseEncoder,
  "relative-index": relativeIndexEncoder,
  bitmask: bitmaskEncoder,
  csr: csrEncoder,
});

/** Registry names of the built-in storage encoders. */
export const ENCODER_NAMES: readonly string[] = ENCODERS.names;

/**
 * Builds a built-in encoder from its registry name and options (`valueBits`, and `indexBits`
 * for `"relative-index"`). Unknown names throw `PluginNotFoundError`, unknown or bad options
 * `ConfigError`.
 *
 * @param name one of {@link ENCODER_NAMES}
 * @param options the encoder's options
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createEncoder } from "@sparsegrain/granularities";
 * const encoder = createEncoder("relative-index", { valueBits: 8, indexBits: 5 });
 * assert(encoder.options?.indexBits === 5);
 * ```
 */
export function createEncoder(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): Encoder {
  return ENCODERS.create(name, options);
}

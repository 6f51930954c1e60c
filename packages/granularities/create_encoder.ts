import { PluginNotFoundError } from "@sparsegrain/core";
import type { Encoder } from "@sparsegrain/core";
import { bitmaskEncoder } from "./encoders/bitmask.ts";
import type { BitmaskEncoderOptions } from "./encoders/bitmask.ts";
import { csrEncoder } from "./encoders/csr.ts";
import type { CsrEncoderOptions } from "./encoders/csr.ts";
import { denseEncoder } from "./encoders/dense.ts";
import type { DenseEncoderOptions } from "./encoders/dense.ts";
import { relativeIndexEncoder } from "./encoders/relative_index.ts";
import type { RelativeIndexEncoderOptions } from "./encoders/relative_index.ts";

/** Registry names of the built-in storage encoders. */
export const ENCODER_NAMES: readonly string[] = ["dense", "relative-index", "bitmask", "csr"];

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
 * import { createEncoder } from "@sparsegrain/granularities";
 * const encoder = createEncoder("relative-index", { valueBits: 8, indexBits: 5 });
 * console.assert(encoder.options?.indexBits === 5);
 * ```
 */
export function createEncoder(
  name: string,
  options?: Readonly<Record<string, unknown>>,
): Encoder {
  switch (name) {
    case "dense":
      return denseEncoder(options as DenseEncoderOptions);
    case "relative-index":
      return relativeIndexEncoder(options as RelativeIndexEncoderOptions);
    case "bitmask":
      return bitmaskEncoder(options as BitmaskEncoderOptions);
    case "csr":
      return csrEncoder(options as CsrEncoderOptions);
    default:
      throw new PluginNotFoundError("encoder", name, ENCODER_NAMES);
  }
}

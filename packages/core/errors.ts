/**
 * Typed errors shared by every sparsegrain package. Each error that a user can cause extends
 * {@link UserError}: the CLI prints its one-line message (what failed, a colon, the fix) and exits
 * with code 2, without a stack trace.
 *
 * @module
 */

/**
 * Base class of every error caused by user input (a config, a flag, a file, a plugin).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UserError } from "@sparsegrain/core";
 * const e = new UserError("Cannot open \"x.yaml\": the file does not exist");
 * assert(e instanceof Error);
 * ```
 */
export class UserError extends Error {
  /** Creates a user error with a one-line message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UserError";
  }
}

/**
 * A layer's weights, shape, mask or geometry are unusable. Names the layer and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LayerError } from "@sparsegrain/core";
 * const e = new LayerError("conv1", "shape", "expected rank 4, found 2: pass [kh, kw, cin, cout]");
 * assert(e.message.includes("conv1"));
 * ```
 */
export class LayerError extends UserError {
  /** The name of the layer. */
  readonly layer: string;
  /** The offending field, e.g. `"shape"` or `"density"`. */
  readonly field: string;
  /** Creates the error; `detail` says what was found and how to fix it. */
  constructor(layer: string, field: string, detail: string, options?: ErrorOptions) {
    super(`Layer "${layer}" has a bad ${field}: ${detail}`, options);
    this.name = "LayerError";
    this.layer = layer;
    this.field = field;
  }
}

/**
 * A registry lookup failed: no plugin of that kind is registered under the name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PluginNotFoundError } from "@sparsegrain/core";
 * const e = new PluginNotFoundError("granularity", "4d", ["0d", "1d"]);
 * assert(e.message.includes("\"0d\""));
 * ```
 */
export class PluginNotFoundError extends UserError {
  /** Plugin kind, e.g. `"granularity"`. */
  readonly kind: string;
  /** The name that was asked for. */
  readonly pluginName: string;
  /** The names that are registered. */
  readonly known: readonly string[];
  /** Creates the error with the list of registered names. */
  constructor(kind: string, name: string, known: readonly string[]) {
    super(
      `Unknown ${kind} "${name}": use one of ${
        known.map((k) => `"${k}"`).join(", ") || "(none registered)"
      }`,
    );
    this.name = "PluginNotFoundError";
    this.kind = kind;
    this.pluginName = name;
    this.known = known;
  }
}

/**
 * Two plugins of the same kind were registered under one name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DuplicatePluginError } from "@sparsegrain/core";
 * const e = new DuplicatePluginError("encoder", "csr");
 * assert(e.message.includes("csr"));
 * ```
 */
export class DuplicatePluginError extends UserError {
  /** Plugin kind. */
  readonly kind: string;
  /** The duplicated name. */
  readonly pluginName: string;
  /** Creates the error. */
  constructor(kind: string, name: string) {
    super(`A ${kind} named "${name}" is already registered: give the new plugin another name`);
    this.name = "DuplicatePluginError";
    this.kind = kind;
    this.pluginName = name;
  }
}

/**
 * An encoded bitstream cannot be decoded (truncated, corrupted, or for another tensor).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BitstreamError } from "@sparsegrain/core";
 * const e = new BitstreamError("relative-index", "bad magic 0x0000");
 * assert(e.message.startsWith("Cannot decode"));
 * ```
 */
export class BitstreamError extends UserError {
  /** The encoder whose stream failed to decode. */
  readonly encoder: string;
  /** Creates the error; `detail` says what is wrong. */
  constructor(encoder: string, detail: string) {
    super(
      `Cannot decode a "${encoder}" stream: ${detail}; re-encode the layer, the stream is corrupted or was written for another tensor`,
    );
    this.name = "BitstreamError";
    this.encoder = encoder;
  }
}

/**
 * A configuration value is wrong. Names the file (when known), the field path and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError } from "@sparsegrain/core";
 * const e = new ConfigError("density", "must be in (0, 1], found 1.5: use a value like 0.3");
 * assert(e.message.includes("density"));
 * ```
 */
export class ConfigError extends UserError {
  /** The field path, e.g. `"granularities[2].axis"`. */
  readonly field: string;
  /** Creates the error. */
  constructor(field: string, detail: string, options?: ErrorOptions) {
    super(`Bad value for "${field}": ${detail}`, options);
    this.name = "ConfigError";
    this.field = field;
  }
}

/**
 * A dataset is missing or its files are invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatasetError } from "@sparsegrain/core";
 * const e = new DatasetError("/tmp/x.idx", "expected magic 2051, found 0");
 * assert(e.message.includes("/tmp/x.idx"));
 * ```
 */
export class DatasetError extends UserError {
  /** The file or folder involved. */
  readonly path: string;
  /** Creates the error. */
  constructor(path: string, detail: string, options?: ErrorOptions) {
    super(`Cannot read dataset "${path}": ${detail}`, options);
    this.name = "DatasetError";
    this.path = path;
  }
}

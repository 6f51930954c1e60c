/**
 * The error saved-model files raise.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";

/**
 * Saved model files are missing, incomplete or do not fit the model: a missing `model.json`, a
 * missing or truncated weights shard, weights whose names or shapes differ from the
 * architecture, or a folder that cannot be written. Names the path; the message ends with the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModelFileError } from "@sparsegrain/models";
 *
 * const e = new ModelFileError("load", "runs/m", "model.json is missing: save the model first");
 * assert(e.message === 'Cannot load model "runs/m": model.json is missing: save the model first');
 * ```
 */
export class ModelFileError extends UserError {
  /** The folder or file involved. */
  readonly path: string;
  /** What was being done. */
  readonly operation: "load" | "save";
  /** Creates the error; `detail` says what is wrong, a colon, and the fix. */
  constructor(operation: "load" | "save", path: string, detail: string, options?: ErrorOptions) {
    super(`Cannot ${operation} model "${path}": ${detail}`, options);
    this.name = "ModelFileError";
    this.path = path;
    this.operation = operation;
  }
}

/**
 * The sparsegrain command line as a library: the output streams it writes to, and the JSON
 * Schema of its sweep files.
 *
 * @example
 * ```ts
 * import { captureIO } from "@sparsegrain/cli";
 * const io = captureIO();
 * io.writeErr("progress\n");
 * console.assert(io.err.length === 1);
 * ```
 *
 * @module
 */
export { captureIO, denoIO } from "./io.ts";
export type { CapturedIO, CliIO } from "./io.ts";

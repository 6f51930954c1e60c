/**
 * The sparsegrain command line: `main(args)` runs `sweep`, `summary`, `cost`, `prune`, `report`,
 * `merge` and `plugins`, and returns the exit code (0 success, 2 user error, 1 internal fault).
 * From a checkout: `deno task cli <command>`; `deno task sweep` runs the default study.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { captureIO, main } from "@sparsegrain/cli";
 * const io = captureIO();
 * const code = await main(["plugins", "--json"], io);
 * const plugins = JSON.parse(io.out.join(""));
 * assert(code === 0 && plugins.some((p: { name: string }) => p.name === "2d"));
 * ```
 *
 * @module
 */
export { main } from "./main.ts";
export { captureIO, denoIO } from "./io.ts";
export type { CapturedIO, CliIO } from "./io.ts";

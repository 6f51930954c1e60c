/**
 * The sparsegrain command line: `deno run -A packages/cli/main.ts <command>` (or
 * `deno task cli <command>`; `deno task sweep` runs the default study).
 *
 * @module
 */
import { builtinDeps } from "./builtins.ts";
import { denoIO } from "./io.ts";
import type { CliIO } from "./io.ts";
import { runCli } from "./run.ts";

/**
 * Runs the sparsegrain CLI: `sweep`, `summary`, `cost`, `prune`, `report`, `merge`, `plugins`
 * (each with `--help`).
 *
 * @param args the command line after the program name, e.g. `["sweep", "--quick"]`
 * @param io where to write (default: the process's stdout and stderr)
 * @returns the exit code: 0 success, 2 user error (printed as one line, no stack), 1 internal fault
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { captureIO, main } from "@sparsegrain/cli";
 * const io = captureIO();
 * const code = await main(["--help"], io);
 * assert(code === 0 && io.out.join("").includes("sweep"));
 * ```
 */
export async function main(args: readonly string[], io: CliIO = denoIO()): Promise<number> {
  return await runCli(args, io, builtinDeps());
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}

/**
 * Helpers for the CLI's end-to-end tests: run `deno run -A packages/cli/main.ts` as a
 * subprocess from the repository root, and read what it wrote.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** The fixtures folder. */
export const FIXTURES: string = join(ROOT, "tests/cli/fixtures");

const MAIN = join(ROOT, "packages/cli/main.ts");

/** What a CLI run printed. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function command(args: readonly string[], env: Record<string, string>): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs the CLI to completion. */
export async function cli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliRun> {
  const { code, stdout, stderr } = await command(args, env).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Starts the CLI without waiting. */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return command(args, env).spawn();
}

/** A result line without its timings (which differ between runs). */
export type Stable = Record<string, unknown>;

/**
 * Reads a results.jsonl without timings, ignoring a torn last line, in study order (the two
 * halves run side by side, so lines are appended in the order points finish).
 */
export async function stableResults(dir: string): Promise<Stable[]> {
  const text = await Deno.readTextFile(join(dir, "results.jsonl"));
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return complete.split("\n").filter((l) => l).map((l) => {
    const { timings: _timings, ...rest } = JSON.parse(l);
    return rest;
  }).sort((a, b) => a.index - b.index);
}

/** Counts complete lines of a results file (0 when missing). */
export async function countLines(path: string): Promise<number> {
  try {
    const text = await Deno.readTextFile(path);
    return text.split("\n").length - 1;
  } catch {
    return 0;
  }
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

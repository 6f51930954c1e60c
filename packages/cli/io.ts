/**
 * Where the CLI writes: results and summaries on stdout, progress and errors on stderr.
 *
 * @module
 */

/** The output streams of a CLI run; tests pass their own to capture output. */
export interface CliIO {
  /** Writes text to standard output (results, `--json`). */
  writeOut(text: string): void;
  /** Writes text to standard error (progress, errors). */
  writeErr(text: string): void;
  /** Whether standard error is a terminal (live progress bar) or not (plain lines). */
  readonly errIsTerminal: boolean;
  /** Terminal width in columns (80 when unknown). */
  readonly columns: number;
}

const encoder = new TextEncoder();

function writeAll(target: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) {
    const n = target.writeSync(bytes);
    bytes = bytes.subarray(n);
  }
}

/**
 * The process's own streams.
 *
 * @returns a {@link CliIO} writing to `Deno.stdout` and `Deno.stderr`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoIO } from "@sparsegrain/cli";
 * const io = denoIO();
 * assert(io.columns > 0);
 * ```
 */
export function denoIO(): CliIO {
  const errIsTerminal = Deno.stderr.isTerminal();
  let columns = 80;
  if (errIsTerminal) {
    try {
      columns = Deno.consoleSize().columns || 80;
    } catch {
      columns = 80;
    }
  }
  return {
    writeOut: (text) => writeAll(Deno.stdout, text),
    writeErr: (text) => writeAll(Deno.stderr, text),
    errIsTerminal,
    columns,
  };
}

/** Captured output of {@link captureIO}. */
export interface CapturedIO extends CliIO {
  /** Everything written to stdout. */
  readonly out: string[];
  /** Everything written to stderr. */
  readonly err: string[];
}

/**
 * An in-memory {@link CliIO} for tests.
 *
 * @returns an IO whose `out` and `err` arrays collect what was written
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { captureIO } from "@sparsegrain/cli";
 * const io = captureIO();
 * io.writeOut("hello\n");
 * assert(io.out.join("") === "hello\n");
 * ```
 */
export function captureIO(): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    writeOut: (text) => void out.push(text),
    writeErr: (text) => void err.push(text),
    errIsTerminal: false,
    columns: 80,
  };
}

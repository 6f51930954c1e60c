import { UserError } from "@sparsegrain/core";

/** One problem found in a config file, with its position. */
export interface ConfigProblem {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  /** Field path, e.g. `accuracy.densities[0]` (empty for the whole document). */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** Renders one problem as `file:line:column path: message`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path
    ? `${where} ${problem.path}: ${problem.message}`
    : `${where} ${problem.message}`;
}

/**
 * Every problem of a config, reported together. The message is one line; {@link details} lists
 * the problems, one per line.
 */
export class ConfigProblemsError extends UserError {
  /** The config file. */
  readonly file: string;
  /** The problems, sorted by position. */
  readonly problems: readonly ConfigProblem[];

  /** Creates the error from a non-empty list of problems. */
  constructor(file: string, problems: readonly ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
    super(
      `Config "${file}" has ${count}: fix ${sorted.length === 1 ? "it" : "them"} and run again`,
    );
    this.name = "ConfigProblemsError";
    this.file = file;
    this.problems = sorted;
  }

  /** The problems, one per line. */
  details(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** Formats a path like `["accuracy", "densities", 0]` as `accuracy.densities[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Describes a found value briefly for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return "an object";
}

import { parseArgs } from "node:util";
import { UserError } from "@sparsegrain/core";

/** One flag of a sub-command. */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** Placeholder shown in help, e.g. `FILE`. */
  readonly value?: string;
  readonly description: string;
}

/** What a sub-command accepts, used for parsing and for `--help`. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Positional part of the usage line, e.g. `MODEL`. */
  readonly args?: string;
  readonly minPositionals: number;
  readonly maxPositionals: number;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Extra paragraphs printed after the flags. */
  readonly details?: string;
}

/** Parsed flags and positionals. */
export interface ParsedFlags {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

const HELP: FlagSpec = { type: "boolean", short: "h", description: "Show this help" };

/**
 * Parses `args` for `spec` with node:util parseArgs; unknown flags, missing values and wrong
 * positional counts become a {@link UserError} naming the flag.
 */
export function parseFlags(spec: CommandSpec, args: readonly string[]): ParsedFlags {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const [name, flag] of Object.entries({ ...spec.flags, help: HELP })) {
    options[name] = { type: flag.type };
    if (flag.short) options[name].short = flag.short;
    if (flag.multiple) options[name].multiple = true;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UserError(describeParseError(spec, error));
  }
  const values = parsed.values as ParsedFlags["values"];
  if (values.help) return { values, positionals: parsed.positionals };
  const count = parsed.positionals.length;
  if (count < spec.minPositionals) {
    throw new UserError(
      `Missing argument ${
        spec.args ?? ""
      } for "${spec.name}": run "sparsegrain ${spec.name} --help" for the usage`,
    );
  }
  if (count > spec.maxPositionals) {
    const extra = parsed.positionals[spec.maxPositionals];
    throw new UserError(
      `Unexpected argument "${extra}" for "${spec.name}": run "sparsegrain ${spec.name} --help" for the usage`,
    );
  }
  return { values, positionals: parsed.positionals };
}

function describeParseError(spec: CommandSpec, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted.split(" ")[0];
  const help = `run "sparsegrain ${spec.name} --help" to see the flags`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return `Unknown flag "${flag}" for "${spec.name}": ${help}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return `Flag "${flag}" of "${spec.name}" needs a value: ${help}`;
  }
  return `Cannot parse the flags of "${spec.name}" (${message}): ${help}`;
}

/** Renders the `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [
    `Usage: sparsegrain ${spec.name}${spec.args ? ` ${spec.args}` : ""} [flags]`,
    "",
    spec.summary,
    "",
    "Flags:",
  ];
  const rows = Object.entries({ ...spec.flags, help: HELP }).map(([name, flag]) => {
    const head = `${flag.short ? `-${flag.short}, ` : "    "}--${name}${
      flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : ""
    }`;
    return [head, flag.description + (flag.multiple ? " (repeatable)" : "")];
  });
  const width = Math.max(...rows.map(([head]) => head.length)) + 2;
  for (const [head, text] of rows) lines.push(`  ${head.padEnd(width)}${text}`);
  if (spec.details) lines.push("", spec.details.trimEnd());
  return lines.join("\n") + "\n";
}

/** Reads a string flag. */
export function stringFlag(parsed: ParsedFlags, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === "string" ? value : undefined;
}

/** Reads a boolean flag. */
export function boolFlag(parsed: ParsedFlags, name: string): boolean {
  return parsed.values[name] === true;
}

/** Reads a repeatable string flag, also splitting comma lists. */
export function listFlag(parsed: ParsedFlags, name: string): string[] {
  const value = parsed.values[name];
  const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return items.flatMap((item) => item.split(",")).map((s) => s.trim()).filter((s) => s !== "");
}

/** Parses a number flag, throwing a {@link UserError} that names the flag. */
export function numberFlag(
  parsed: ParsedFlags,
  name: string,
  check?: { integer?: boolean; min?: number; max?: number; minExclusive?: boolean },
): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const range = describeRange(check);
  if (
    raw.trim() === "" || !Number.isFinite(value) || (check?.integer && !Number.isInteger(value))
  ) {
    throw new UserError(
      `Flag "--${name}" must be ${
        check?.integer ? "an integer" : "a number"
      }${range}, found "${raw}": pass e.g. --${name} ${check?.integer ? 10 : 0.3}`,
    );
  }
  const low = check?.min;
  if (
    (low !== undefined && (check?.minExclusive ? value <= low : value < low)) ||
    (check?.max !== undefined && value > check.max)
  ) {
    throw new UserError(`Flag "--${name}" must be${range}, found ${raw}: pass a value in range`);
  }
  return value;
}

function describeRange(check?: { min?: number; max?: number; minExclusive?: boolean }): string {
  if (!check || (check.min === undefined && check.max === undefined)) return "";
  if (check.min !== undefined && check.max !== undefined) {
    return ` in ${check.minExclusive ? "(" : "["}${check.min}, ${check.max}]`;
  }
  if (check.min !== undefined) return ` ${check.minExclusive ? ">" : ">="} ${check.min}`;
  return ` <= ${check.max}`;
}

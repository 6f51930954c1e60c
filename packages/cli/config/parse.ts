/**
 * Parses a sweep file with npm `yaml`, keeping positions, and validates it against the zod
 * schema. Every problem carries file, line, column, field path and the allowed values.
 *
 * @module
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import type { z } from "zod";
import { allowedValues, type SweepConfig, sweepSchema } from "./schema.ts";
import { type ConfigProblem, ConfigProblemsError, describeValue, formatPath } from "./problems.ts";

/** A parsed config document with positions. */
export interface ConfigSource {
  /** The file as the user named it (used in messages). */
  readonly file: string;
  /** Absolute folder of the file, for relative plugin paths. */
  readonly dir: string;
  /** The YAML document. */
  readonly doc: Document.Parsed;
  /** Maps offsets to lines and columns. */
  readonly lines: LineCounter;
  /** The plain data. */
  readonly raw: unknown;
}

/**
 * Parses YAML text; syntax errors are thrown together as a {@link ConfigProblemsError}.
 */
export function parseConfigText(text: string, file: string, dir: string): ConfigSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigProblemsError(
      file,
      doc.errors.map((error) => {
        const pos = error.linePos?.[0] ?? lines.linePos(error.pos[0]);
        const firstLine = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: "",
          message: `malformed YAML: ${firstLine}`,
        };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigProblemsError(file, [{
      file,
      line: 1,
      column: 1,
      path: "",
      message: `malformed YAML: ${(error as Error).message}`,
    }]);
  }
  return { file, dir, doc, lines, raw: raw ?? {} };
}

/** Line and column (1-based) of the node at `path`, or of its closest existing parent. */
export function positionOf(
  source: ConfigSource,
  path: readonly PropertyKey[],
  options: { key?: boolean } = {},
): { line: number; column: number } {
  let node: unknown = source.doc.contents;
  let best: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      const last = i === path.length - 1;
      if (last && options.key) {
        best = pair.key;
        break;
      }
      node = pair.value ?? pair.key;
      best = node;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      if (node === undefined) break;
      best = node;
    } else if (isPair(node)) {
      node = node.value;
    } else break;
  }
  const range = (best as Node | null)?.range;
  const offset = range ? range[0] : 0;
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The value at `path` in the plain data, or undefined. */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Builds a problem at `path` of `source`. */
export function problemAt(
  source: ConfigSource,
  path: readonly PropertyKey[],
  message: string,
  options: { key?: boolean } = {},
): ConfigProblem {
  const { line, column } = positionOf(source, path, options);
  return { file: source.file, line, column, path: formatPath(path), message };
}

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Follows wrappers (optional, default, ...) and returns every layer, outermost first. */
function layers(schema: z.ZodType | undefined): z.ZodType[] {
  const out: z.ZodType[] = [];
  let s = schema;
  while (s) {
    out.push(s);
    const def = defOf(s);
    if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) {
      s = def.innerType;
    } else if (def.type === "pipe") s = def.in;
    else break;
  }
  return out;
}

function innermost(schema: z.ZodType | undefined): z.ZodType | undefined {
  const all = layers(schema);
  return all[all.length - 1];
}

/** The schema that validates the value at `path`, or undefined. */
export function schemaAt(
  root: z.ZodType,
  path: readonly PropertyKey[],
  raw?: unknown,
): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    let inner = innermost(schema);
    if (!inner) return undefined;
    let def = defOf(inner);
    if (def.type === "union") {
      const here = raw === undefined ? undefined : valueAt(raw, path.slice(0, i));
      const wanted = Array.isArray(here) ? "array" : "object";
      inner = def.options?.map(innermost).find((o) => o && defOf(o).type === wanted) ??
        def.options?.map(innermost).find((o) => o && ["object", "array"].includes(defOf(o).type));
      if (!inner) return undefined;
      def = defOf(inner);
    }
    if (def.type === "object") schema = def.shape?.[String(key)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "tuple") schema = def.items?.[Number(key)];
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
    if (!schema) return undefined;
  }
  return schema;
}

/** The allowed-values text for the field at `path`. */
export function allowedAt(
  path: readonly PropertyKey[],
  raw: unknown,
  fallback: string,
): string {
  for (const layer of layers(schemaAt(sweepSchema, path, raw))) {
    const text = allowedValues(layer);
    if (text) return text;
  }
  return fallback;
}

/** Keys an object at `path` accepts. */
export function keysAt(path: readonly PropertyKey[], raw: unknown): string[] {
  let inner = innermost(schemaAt(sweepSchema, path, raw));
  if (inner && defOf(inner).type === "union") {
    inner = defOf(inner).options?.map(innermost).find((o) => o && defOf(o).type === "object");
  }
  if (!inner) return [];
  const def = defOf(inner);
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? `"${v}"` : String(v))).join(", ");
}

function boundText(issue: z.core.$ZodIssue): string {
  const i = issue as unknown as {
    code: string;
    origin?: string;
    minimum?: number | bigint;
    maximum?: number | bigint;
    inclusive?: boolean;
  };
  const small = i.code === "too_small";
  const bound = small ? i.minimum : i.maximum;
  if (i.origin === "array") return `${small ? "at least" : "at most"} ${bound} items`;
  if (i.origin === "string") return `${small ? "at least" : "at most"} ${bound} characters`;
  const op = small ? (i.inclusive ? ">=" : ">") : (i.inclusive ? "<=" : "<");
  return `a number ${op} ${bound}`;
}

/** Turns zod issues into positioned problems with allowed values. */
export function issuesToProblems(
  source: ConfigSource,
  issues: readonly z.core.$ZodIssue[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    const found = valueAt(source.raw, path);
    const foundText = describeValue(found);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowedKeys = keysAt(path, source.raw);
        for (const key of issue.keys) {
          problems.push(
            problemAt(
              source,
              [...path, key],
              `unknown key "${key}": use one of ${quoteList(allowedKeys)}`,
              { key: true },
            ),
          );
        }
        break;
      }
      case "invalid_type": {
        const allowed = allowedAt(path, source.raw, `a value of type ${issue.expected}`);
        const what = found === undefined ? "missing" : `found ${foundText}`;
        problems.push(problemAt(source, path, `${what}, expected ${allowed}`));
        break;
      }
      case "too_small":
      case "too_big": {
        const allowed = allowedAt(path, source.raw, boundText(issue));
        const shown = Array.isArray(found) ? `${found.length} items` : foundText;
        const text = Array.isArray(found) ? boundText(issue) : allowed;
        problems.push(problemAt(source, path, `found ${shown}, expected ${text}`));
        break;
      }
      case "invalid_value": {
        problems.push(
          problemAt(source, path, `found ${foundText}, expected one of ${quoteList(issue.values)}`),
        );
        break;
      }
      case "invalid_union": {
        const note = (issue as { note?: string }).note;
        const options = (issue as { options?: unknown[] }).options;
        if ((issue as { discriminator?: string }).discriminator && options) {
          problems.push(
            problemAt(source, path, `found ${foundText}, expected one of ${quoteList(options)}`),
          );
          break;
        }
        const allowed = allowedAt(path, source.raw, note ?? "a value of another type");
        problems.push(problemAt(source, path, `found ${foundText}, expected ${allowed}`));
        break;
      }
      case "invalid_format": {
        const allowed = allowedAt(path, source.raw, `a ${issue.format} string`);
        problems.push(problemAt(source, path, `found ${foundText}, expected ${allowed}`));
        break;
      }
      default:
        problems.push(problemAt(source, path, `${issue.message} (found ${foundText})`));
    }
  }
  return problems;
}

/** Validates the parsed document against the schema. */
export function validateShape(
  source: ConfigSource,
): { config: SweepConfig | undefined; problems: ConfigProblem[] } {
  const result = sweepSchema.safeParse(source.raw);
  if (result.success) return { config: result.data, problems: [] };
  return { config: undefined, problems: issuesToProblems(source, result.error.issues) };
}

/**
 * Loads user plugin modules named in a sweep's `plugins:` list.
 *
 * Convention: every export of the module (named or default; an array export counts as its
 * items) that is a plugin object is registered. The kind is read from the object's methods:
 * `partition()` -> granularity, `score()` -> saliency metric, `encode()` and `decode()` ->
 * encoder, `evaluate()` -> accelerator model. Every plugin object also needs `name` and
 * `version` strings and a `describe()` method. Other exports (helpers, types, constants) are
 * ignored, but a module with no plugin export at all is an error that lists what it exports.
 *
 * @module
 */
import { DuplicatePluginError, type Registries, UserError } from "@sparsegrain/core";
import type { PluginKind } from "@sparsegrain/core";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** A plugin found in a user module. */
export interface LoadedPlugin {
  /** Plugin kind. */
  readonly kind: PluginKind;
  /** Registered name. */
  readonly name: string;
  /** Plugin version. */
  readonly version: string;
  /** The module it came from, as written in the config. */
  readonly source: string;
  /** The export it came from. */
  readonly exportName: string;
}

const METHODS: ReadonlyArray<readonly [PluginKind, readonly string[]]> = [
  ["granularity", ["partition"]],
  ["saliency", ["score"]],
  ["encoder", ["encode", "decode"]],
  ["accelerator", ["evaluate"]],
];

/** The kind of a plugin object, from its methods, or undefined when it is not one. */
export function pluginKindOf(value: unknown): PluginKind | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const o = value as Record<string, unknown>;
  for (const [kind, methods] of METHODS) {
    if (methods.every((m) => typeof o[m] === "function")) return kind;
  }
  return undefined;
}

function describeExport(name: string, value: unknown): string {
  if (typeof value === "function") return `"${name}" (a function)`;
  if (Array.isArray(value)) return `"${name}" (an array of ${value.length})`;
  if (value === null || typeof value !== "object") return `"${name}" (${typeof value})`;
  const keys = Object.keys(value).slice(0, 6);
  return `"${name}" (an object with ${keys.length ? keys.join(", ") : "no fields"})`;
}

/** Missing plugin fields of an object whose methods name a kind. */
function missingFields(value: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (typeof value.name !== "string" || value.name === "") missing.push("name (string)");
  if (typeof value.version !== "string" || value.version === "") missing.push("version (string)");
  if (typeof value.describe !== "function") missing.push("describe()");
  return missing;
}

/** The URL a plugin spec points at: URLs as given, paths relative to `baseDir`. */
export function resolvePluginSpec(spec: string, baseDir: string): URL {
  if (/^(https?|file|jsr|npm):/.test(spec)) return new URL(spec);
  return pathToFileURL(resolve(baseDir, spec));
}

/**
 * Imports the module `spec` (a path relative to `baseDir`, or a URL), registers its plugin
 * exports in `registries` and returns what it registered. Throws {@link UserError} when the file
 * is missing, the module throws on load, it exports no plugin, or a name is taken.
 */
export async function loadPluginModule(
  spec: string,
  baseDir: string,
  registries: Registries,
): Promise<LoadedPlugin[]> {
  const url = resolvePluginSpec(spec, baseDir);
  if (url.protocol === "file:") {
    const path = fileURLToPath(url);
    let isFile = false;
    try {
      isFile = (await Deno.stat(path)).isFile;
    } catch {
      throw new UserError(
        `Cannot load plugin "${spec}": "${path}" does not exist: fix the path (plugin paths are relative to the config file)`,
      );
    }
    if (!isFile) {
      throw new UserError(
        `Cannot load plugin "${spec}": "${path}" is not a file: name the module file itself`,
      );
    }
  }
  let module: Record<string, unknown>;
  try {
    module = await import(url.href);
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new UserError(
      `Cannot load plugin "${spec}": the module threw while loading (${
        detail.split("\n")[0]
      }): fix the module`,
    );
  }
  const found: Array<{ exportName: string; value: unknown }> = [];
  for (const [exportName, value] of Object.entries(module)) {
    if (Array.isArray(value) && value.some((v) => pluginKindOf(v))) {
      value.forEach((v, i) => found.push({ exportName: `${exportName}[${i}]`, value: v }));
    } else found.push({ exportName, value });
  }
  const loaded: LoadedPlugin[] = [];
  for (const { exportName, value } of found) {
    const kind = pluginKindOf(value);
    if (!kind) continue;
    const plugin = value as Record<string, unknown>;
    const missing = missingFields(plugin);
    if (missing.length > 0) {
      throw new UserError(
        `Cannot load plugin "${spec}": export "${exportName}" looks like a ${kind} but lacks ${
          missing.join(", ")
        }: add ${missing.length === 1 ? "it" : "them"} to the object`,
      );
    }
    try {
      // deno-lint-ignore no-explicit-any
      (registries[kind] as any).register(plugin);
    } catch (error) {
      if (error instanceof DuplicatePluginError) {
        throw new UserError(
          `Cannot load plugin "${spec}": its ${kind} "${plugin.name}" has the name of one already registered: rename it in the module`,
        );
      }
      throw error;
    }
    loaded.push({
      kind,
      name: plugin.name as string,
      version: plugin.version as string,
      source: spec,
      exportName,
    });
  }
  if (loaded.length === 0) {
    const what = found.length === 0
      ? "no exports at all"
      : found.map(({ exportName, value }) => describeExport(exportName, value)).join(", ");
    throw new UserError(
      `Cannot load plugin "${spec}": it exports no sparsegrain plugin (found ${what}): export objects with name, version, describe() and partition() (granularity), score() (saliency), encode() and decode() (encoder) or evaluate() (accelerator)`,
    );
  }
  return loaded;
}

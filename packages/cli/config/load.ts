/**
 * Loads a sweep file: parse with positions, validate the shape, load user plugins, check plugin
 * names, model names and cross-field rules, and report every problem together.
 *
 * @module
 */
import type {
  AcceleratorModel,
  Encoder,
  Granularity,
  PluginInfo,
  PluginKind,
  SaliencyMetric,
} from "@sparsegrain/core";
import { blockGrains, UserError } from "@sparsegrain/core";
import { dirname, resolve } from "node:path";
import { type Catalog, type Chosen, defaultLabel } from "./catalog.ts";
import { type ConfigSource, parseConfigText, problemAt, validateShape, valueAt } from "./parse.ts";
import { DENSITY_PRESETS, type DensityMap } from "./presets.ts";
import { type ConfigProblem, ConfigProblemsError, describeValue } from "./problems.ts";
import type { SweepConfig } from "./schema.ts";
import { type LoadedPlugin, loadPluginModule } from "../plugins/load.ts";

/** A validated study: the config with its plugins resolved. */
export interface Study {
  /** The effective config (after `--quick`, when given). */
  readonly config: SweepConfig;
  /** Hash of the effective config: results of other configs are refused. */
  readonly configHash: string;
  /** The file it came from. */
  readonly file: string;
  /** Whether `--quick` shrank it. */
  readonly quick: boolean;
  /** Granularities, in config order. */
  readonly granularities: readonly Chosen<Granularity>[];
  /** The saliency metric. */
  readonly saliency: Chosen<SaliencyMetric>;
  /** Encoders, in config order. */
  readonly encoders: readonly Chosen<Encoder>[];
  /** Accelerator models, in config order. */
  readonly accelerators: readonly Chosen<AcceleratorModel>[];
  /** Density maps by name (built-in presets and the config's). */
  readonly densityMaps: Readonly<Record<string, DensityMap>>;
  /** Plugins loaded from user modules. */
  readonly userPlugins: readonly LoadedPlugin[];
  /** The catalog the study was checked against. */
  readonly catalog: Catalog;
}

/** Options of {@link loadStudy}. */
export interface LoadOptions {
  /** Apply the config's `quick:` section. @default false */
  readonly quick?: boolean;
  /** Dataset folder overriding `accuracy.dataset.dir` (the `--data` flag). */
  readonly dataDir?: string;
}

/** Reads and validates a sweep file. Throws {@link UserError} / {@link ConfigProblemsError}. */
export async function loadStudy(
  file: string,
  catalog: Catalog,
  options: LoadOptions = {},
): Promise<Study> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot read config "${file}": the file does not exist: pass --config with the path of a sweep YAML file`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new UserError(`Cannot read config "${file}": it is a folder: pass a YAML file`);
    }
    throw new UserError(
      `Cannot read config "${file}": ${(error as Error).message}: check the path and permissions`,
    );
  }
  return await studyFromText(text, file, dirname(resolve(file)), catalog, options);
}

/** Validates config text (see {@link loadStudy}); `dir` anchors relative plugin paths. */
export async function studyFromText(
  text: string,
  file: string,
  dir: string,
  catalog: Catalog,
  options: LoadOptions = {},
): Promise<Study> {
  const source = parseConfigText(text, file, dir);
  const { config, problems } = validateShape(source);

  const userPlugins: LoadedPlugin[] = [];
  let pluginsFailed = false;
  const specs = valueAt(source.raw, ["plugins"]);
  if (Array.isArray(specs)) {
    for (const [i, spec] of specs.entries()) {
      if (typeof spec !== "string" || spec === "") continue;
      try {
        userPlugins.push(...await loadPluginModule(spec, source.dir, catalog.registries));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        pluginsFailed = true;
        problems.push(problemAt(source, ["plugins", i], error.message));
      }
    }
  }

  const data = config ?? source.raw;
  const checker = new Checker(source, data, catalog, problems, !pluginsFailed, userPlugins);
  const chosen = checker.plugins();
  checker.crossFields();
  if (problems.length > 0 || !config || !chosen) {
    throw new ConfigProblemsError(file, problems);
  }
  let effective = options.quick ? applyQuick(config) : config;
  if (options.dataDir !== undefined && effective.accuracy) {
    effective = {
      ...effective,
      accuracy: {
        ...effective.accuracy,
        dataset: { ...effective.accuracy.dataset, dir: options.dataDir },
      },
    };
  }
  return {
    config: effective,
    configHash: await configHash(effective),
    file,
    quick: options.quick ?? false,
    ...chosen,
    densityMaps: { ...DENSITY_PRESETS, ...effective.densityMaps },
    userPlugins,
    catalog,
  };
}

/** Shrinks a study as its `quick:` section says. */
export function applyQuick(config: SweepConfig): SweepConfig {
  const q = config.quick;
  const accuracy = config.accuracy && {
    ...config.accuracy,
    densities: q.densities,
    dataset: {
      ...config.accuracy.dataset,
      trainSubset: Math.min(config.accuracy.dataset.trainSubset ?? 60000, q.trainSubset),
      testSubset: Math.min(config.accuracy.dataset.testSubset ?? 10000, q.testSubset),
    },
    models: config.accuracy.models.map((m) => ({
      ...m,
      training: { ...m.training, epochs: Math.min(m.training.epochs, q.epochs) },
    })),
    fineTune: {
      ...config.accuracy.fineTune,
      samples: Math.min(config.accuracy.fineTune.samples, q.fineTuneSamples),
    },
  };
  const keep = new Set(q.weightFreeModels);
  const weightFree = config.weightFree && {
    ...config.weightFree,
    models: config.weightFree.models.filter((m) => keep.has(typeof m === "string" ? m : m.name)),
    densities: q.weightFreeDensities,
  };
  return { ...config, seeds: q.seeds ?? config.seeds, accuracy, weightFree };
}

/** SHA-256 (hex, 16 characters) of the parts of a config that change results. */
export async function configHash(config: SweepConfig): Promise<string> {
  const { quick: _quick, report, ...rest } = config;
  // Where the dataset lives does not change results; the report's drops and primary encoder
  // only change how they are shown.
  const accuracy = rest.accuracy && {
    ...rest.accuracy,
    dataset: { ...rest.accuracy.dataset, dir: undefined },
  };
  const relevant = {
    ...rest,
    accuracy,
    report: { maskLayer: report.maskLayer, maskCrop: report.maskCrop },
  };
  const bytes = new TextEncoder().encode(canonicalJson(relevant));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]));
    }
    return v;
  });
}

type Ref = { name: string; label?: string; options?: Record<string, unknown> };

function asRef(value: unknown): Ref | undefined {
  if (typeof value === "string") return { name: value };
  if (value && typeof value === "object" && typeof (value as Ref).name === "string") {
    const ref = value as Ref;
    return {
      name: ref.name,
      label: typeof ref.label === "string" ? ref.label : undefined,
      options: ref.options && typeof ref.options === "object" ? ref.options : undefined,
    };
  }
  return undefined;
}

const KIND_FIELD: Record<PluginKind, string> = {
  granularity: "granularities",
  saliency: "saliency",
  encoder: "encoders",
  accelerator: "accelerators",
};

const KIND_TEXT: Record<PluginKind, string> = {
  granularity: "granularity",
  saliency: "saliency metric",
  encoder: "encoder",
  accelerator: "accelerator model",
};

/** Checks what the schema cannot: names against registries and cross-field rules. */
class Checker {
  readonly #source: ConfigSource;
  readonly #data: unknown;
  readonly #catalog: Catalog;
  readonly #problems: ConfigProblem[];
  readonly #checkNames: boolean;
  readonly #userPlugins: readonly LoadedPlugin[];

  constructor(
    source: ConfigSource,
    data: unknown,
    catalog: Catalog,
    problems: ConfigProblem[],
    checkNames: boolean,
    userPlugins: readonly LoadedPlugin[],
  ) {
    this.#source = source;
    this.#data = data;
    this.#catalog = catalog;
    this.#problems = problems;
    this.#checkNames = checkNames;
    this.#userPlugins = userPlugins;
  }

  #add(path: PropertyKey[], message: string): void {
    const p = problemAt(this.#source, path, message);
    if (!this.#problems.some((q) => q.path === p.path && q.message === p.message)) {
      this.#problems.push(p);
    }
  }

  #get(path: PropertyKey[]): unknown {
    return valueAt(this.#data, path);
  }

  /** The value as written (no defaults): cross-field rules only check what the user wrote. */
  #raw(path: PropertyKey[]): unknown {
    return valueAt(this.#source.raw, path);
  }

  #choose<T extends PluginInfo>(kind: PluginKind, path: PropertyKey[]): Chosen<T> | undefined {
    const ref = asRef(this.#get(path));
    if (!ref) return undefined;
    const registry = this.#catalog.registries[kind];
    const text = KIND_TEXT[kind];
    if (!registry.has(ref.name)) {
      if (this.#checkNames) {
        const known = registry.names().map((n) => `"${n}"`).join(", ");
        const at = typeof this.#get(path) === "string" ? path : [...path, "name"];
        this.#add(
          at,
          `unknown ${text} "${ref.name}": use one of ${
            known || "(none registered)"
          }, or load a plugin that defines it under plugins`,
        );
      }
      return undefined;
    }
    const label = ref.label ?? defaultLabel(ref.name, ref.options);
    const hasOptions = ref.options !== undefined && Object.keys(ref.options).length > 0;
    if (!hasOptions) {
      const plugin = registry.get(ref.name) as unknown as T;
      const isBuiltin = this.#catalog.builtin[kind].has(ref.name);
      return { label, plugin, source: isBuiltin ? "builtin" : this.#sourceOf(kind, ref.name) };
    }
    if (!this.#catalog.builtin[kind].has(ref.name)) {
      this.#add(
        [...path, "options"],
        `the user ${text} "${ref.name}" takes no options here: export a plugin built with the options you need, under its own name`,
      );
      return undefined;
    }
    try {
      const plugin = this.#catalog.factories[kind](ref.name, ref.options ?? {}) as unknown as T;
      return { label, plugin, source: "builtin" };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#add([...path, "options"], `bad options for ${text} "${ref.name}": ${message}`);
      return undefined;
    }
  }

  #sourceOf(kind: PluginKind, name: string): string {
    return this.#userPlugins.find((p) => p.kind === kind && p.name === name)?.source ?? "plugin";
  }

  #list<T extends PluginInfo>(kind: PluginKind): Chosen<T>[] | undefined {
    const field = KIND_FIELD[kind];
    const items = this.#get([field]);
    if (items === undefined) return undefined;
    if (!Array.isArray(items)) return undefined;
    const chosen: Chosen<T>[] = [];
    const labels = new Map<string, number>();
    let ok = true;
    items.forEach((_, i) => {
      const c = this.#choose<T>(kind, [field, i]);
      if (!c) {
        ok = false;
        return;
      }
      const first = labels.get(c.label);
      if (first !== undefined) {
        this.#add(
          [field, i],
          `label "${c.label}" is already used by ${field}[${first}]: give one of them another label`,
        );
        ok = false;
        return;
      }
      labels.set(c.label, i);
      chosen.push(c);
    });
    return ok ? chosen : undefined;
  }

  /** Resolves the plugins, or records problems and returns undefined. */
  plugins():
    | Pick<Study, "granularities" | "saliency" | "encoders" | "accelerators">
    | undefined {
    const granularities = this.#list<Granularity>("granularity");
    const encoders = this.#list<Encoder>("encoder");
    const accelerators = this.#list<AcceleratorModel>("accelerator");
    const saliency = this.#choose<SaliencyMetric>("saliency", ["saliency"]);
    if (saliency) this.#checkScoresWithoutGradients(saliency);
    if (!granularities || !encoders || !accelerators) return undefined;
    if (!saliency) return undefined;
    return { granularities, saliency, encoders, accelerators };
  }

  /**
   * A sweep passes no loss gradients to the saliency metric; one that needs them (Taylor) would
   * fail at the first point, so it is reported now.
   */
  #checkScoresWithoutGradients(saliency: Chosen<SaliencyMetric>): void {
    const layer = {
      name: "probe",
      kind: "dense" as const,
      shape: [2, 2],
      values: new Float32Array([0.5, -1, 0.25, 2]),
    };
    try {
      saliency.plugin.score(layer, blockGrains(layer.shape, [1, 1]));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#add(
        ["saliency"],
        `saliency metric "${saliency.plugin.name}" cannot score without loss gradients, which a sweep does not compute (${message}): use a magnitude metric such as "l1"`,
      );
    }
  }

  /** Cross-field rules: decreasing densities, known maps and models, primary encoder. */
  crossFields(): void {
    this.#decreasing(["accuracy", "densities"]);
    this.#decreasing(["quick", "densities"]);
    const schedule = this.#raw(["accuracy", "schedule"]) as { kind?: unknown } | undefined;
    if (schedule?.kind === "iterative") this.#decreasing(["accuracy", "schedule", "densities"]);

    const userMaps = this.#raw(["densityMaps"]);
    const mapNames = new Set([
      ...Object.keys(DENSITY_PRESETS),
      ...(userMaps && typeof userMaps === "object" ? Object.keys(userMaps) : []),
    ]);
    const knownMaps = [...mapNames].map((n) => `"${n}"`).join(", ");
    const checkMap = (path: PropertyKey[]) => {
      const value = this.#raw(path);
      if (typeof value === "string" && !mapNames.has(value)) {
        this.#add(
          path,
          `unknown density map "${value}": use one of ${knownMaps}, or define it under densityMaps`,
        );
      }
    };
    const models = this.#catalog.models;
    const knownModels = models.map((n) => `"${n}"`).join(", ");
    const checkModel = (path: PropertyKey[]) => {
      const value = this.#raw(path);
      if (typeof value === "string" && models.length > 0 && !models.includes(value)) {
        this.#add(path, `unknown model "${value}": use one of ${knownModels}`);
      }
    };

    checkMap(["weightFree", "activationDensity"]);
    const wfModels = this.#raw(["weightFree", "models"]);
    if (Array.isArray(wfModels)) {
      wfModels.forEach((m, i) => {
        if (typeof m === "string") checkModel(["weightFree", "models", i]);
        else if (m && typeof m === "object") {
          checkModel(["weightFree", "models", i, "name"]);
          checkMap(["weightFree", "models", i, "activationDensity"]);
          const maps = (m as { densityMaps?: unknown }).densityMaps;
          if (Array.isArray(maps)) {
            maps.forEach((_, j) => checkMap(["weightFree", "models", i, "densityMaps", j]));
          }
        }
      });
    }
    const seen = new Map<string, number>();
    const label = (m: unknown) => {
      if (typeof m === "string") return m;
      if (!m || typeof m !== "object") return undefined;
      const e = m as { name?: unknown; input?: unknown; classes?: unknown };
      if (typeof e.name !== "string") return undefined;
      return `${e.name}${Array.isArray(e.input) ? `@${e.input.join("x")}` : ""}${
        typeof e.classes === "number" ? `/${e.classes}` : ""
      }`;
    };
    for (const half of ["weightFree", "accuracy"]) {
      const list = this.#raw([half, "models"]);
      if (!Array.isArray(list)) continue;
      seen.clear();
      list.forEach((m, i) => {
        const l = label(m);
        if (l === undefined) return;
        const first = seen.get(l);
        if (first !== undefined) {
          this.#add(
            [half, "models", i],
            `model "${l}" is listed again (first at ${half}.models[${first}]): merge the entries, or give another input or classes`,
          );
        } else seen.set(l, i);
      });
    }
    const accModels = this.#raw(["accuracy", "models"]);
    if (Array.isArray(accModels)) {
      accModels.forEach((_, i) => checkModel(["accuracy", "models", i, "name"]));
    }
    const quickModels = this.#raw(["quick", "weightFreeModels"]);
    if (Array.isArray(quickModels)) {
      quickModels.forEach((_, i) => checkModel(["quick", "weightFreeModels", i]));
    }

    const primary = this.#raw(["report", "primaryEncoder"]);
    if (typeof primary === "string") {
      const encoders = this.#raw(["encoders"]);
      const labels = Array.isArray(encoders)
        ? encoders.map(asRef).filter((r) => r).map((r) =>
          r!.label ?? defaultLabel(r!.name, r!.options)
        )
        : [];
      if (!labels.includes(primary)) {
        this.#add(
          ["report", "primaryEncoder"],
          `"${primary}" is not one of the encoders: use one of ${
            labels.map((l) => `"${l}"`).join(", ")
          }`,
        );
      }
    }
    if (this.#raw(["scope"]) === "global") {
      const wf = this.#raw(["weightFree", "models"]);
      const usesMaps = Array.isArray(wf) &&
        wf.some((m) =>
          m && typeof m === "object" && Array.isArray(m.densityMaps) && m.densityMaps.length > 0
        );
      if (usesMaps) {
        this.#add(
          ["scope"],
          'found "global" with per-layer density maps: global ranking needs uniform densities, use scope "layer" or drop densityMaps',
        );
      }
    }
    const raw = this.#source.raw as Record<string, unknown>;
    if (raw?.accuracy === undefined && raw?.weightFree === undefined) {
      this.#add(
        [],
        "the study has neither an accuracy nor a weightFree section: add at least one (see docs/config.md)",
      );
    }
  }

  #decreasing(path: PropertyKey[]): void {
    const list = this.#raw(path);
    if (!Array.isArray(list)) return;
    for (let i = 1; i < list.length; i++) {
      if (
        typeof list[i] === "number" && typeof list[i - 1] === "number" && list[i] >= list[i - 1]
      ) {
        this.#add(
          [...path, i],
          `found ${describeValue(list[i])} after ${
            describeValue(list[i - 1])
          }, expected strictly decreasing densities`,
        );
      }
    }
  }
}

import type {
  AcceleratorModel,
  Encoder,
  Granularity,
  PluginInfo,
  PluginKind,
  Registries,
  SaliencyMetric,
} from "@sparsegrain/core";

/** Plugin factories by kind, for built-ins given options. */
export interface PluginFactories {
  granularity(name: string, options: Record<string, unknown>): Granularity;
  saliency(name: string, options: Record<string, unknown>): SaliencyMetric;
  encoder(name: string, options: Record<string, unknown>): Encoder;
  accelerator(name: string, options: Record<string, unknown>): AcceleratorModel;
}

/** What the config checker needs to know about the installed packages. */
export interface Catalog {
  /** Registries holding the built-ins (user plugins are added to them). */
  readonly registries: Registries;
  /** Names of built-in plugins per kind (those accept options). */
  readonly builtin: Readonly<Record<PluginKind, ReadonlySet<string>>>;
  /** Factories of built-in plugins with options. */
  readonly factories: PluginFactories;
  /** Model zoo names. */
  readonly models: readonly string[];
}

/** A plugin chosen by the config, with the label results and charts use. */
export interface Chosen<T extends PluginInfo> {
  /** Label in results and charts. */
  readonly label: string;
  /** The plugin. */
  readonly plugin: T;
  /** Where it came from: `"builtin"` or the module path. */
  readonly source: string;
}

/** Default label of a plugin reference: its name, plus options in a stable order. */
export function defaultLabel(name: string, options?: Record<string, unknown>): string {
  const entries = Object.entries(options ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return name;
  const parts = entries.map(([k, v]) =>
    `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`
  );
  return `${name}(${parts.join(",")})`;
}

import { DuplicatePluginError, PluginNotFoundError } from "./errors.ts";
import type {
  AcceleratorModel,
  Encoder,
  Granularity,
  PluginInfo,
  PluginKind,
  SaliencyMetric,
} from "./types.ts";

/**
 * A named collection of plugins of one kind. Created by the caller; nothing registers itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Registry } from "@sparsegrain/core";
 * const r = new Registry<{ name: string; version: string; describe(): string }>("encoder");
 * r.register({ name: "raw", version: "1.0.0", describe: () => "raw floats" });
 * assert(r.get("raw").version === "1.0.0");
 * ```
 */
export class Registry<T extends PluginInfo> {
  /** What kind of plugin this registry holds, used in error messages. */
  readonly kind: string;
  #items = new Map<string, T>();

  /** Creates an empty registry for plugins of `kind`. */
  constructor(kind: string) {
    this.kind = kind;
  }

  /** Adds a plugin; throws `DuplicatePluginError` when the name is taken. */
  register(plugin: T): this {
    if (this.#items.has(plugin.name)) throw new DuplicatePluginError(this.kind, plugin.name);
    this.#items.set(plugin.name, plugin);
    return this;
  }

  /** Returns the plugin named `name`; throws `PluginNotFoundError` listing the known names. */
  get(name: string): T {
    const item = this.#items.get(name);
    if (item === undefined) throw new PluginNotFoundError(this.kind, name, this.names());
    return item;
  }

  /** Whether a plugin named `name` is registered. */
  has(name: string): boolean {
    return this.#items.has(name);
  }

  /** Registered names in registration order. */
  names(): string[] {
    return [...this.#items.keys()];
  }

  /** Registered plugins in registration order. */
  list(): T[] {
    return [...this.#items.values()];
  }
}

/** One registry per plugin kind. */
export interface Registries {
  /** Granularities. */
  readonly granularity: Registry<Granularity>;
  /** Saliency metrics. */
  readonly saliency: Registry<SaliencyMetric>;
  /** Storage encoders. */
  readonly encoder: Registry<Encoder>;
  /** Accelerator cost models. */
  readonly accelerator: Registry<AcceleratorModel>;
}

/**
 * Creates four empty registries, one per plugin kind.
 *
 * @returns the registries, keyed by {@link PluginKind}
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistries } from "@sparsegrain/core";
 * const registries = createRegistries();
 * assert(registries.encoder.names().length === 0);
 * ```
 */
export function createRegistries(): Registries {
  return {
    granularity: new Registry<Granularity>("granularity"),
    saliency: new Registry<SaliencyMetric>("saliency metric"),
    encoder: new Registry<Encoder>("encoder"),
    accelerator: new Registry<AcceleratorModel>("accelerator model"),
  };
}

/** The plugin kinds, in the order reports list them. */
export const PLUGIN_KINDS: readonly PluginKind[] = [
  "granularity",
  "saliency",
  "encoder",
  "accelerator",
];

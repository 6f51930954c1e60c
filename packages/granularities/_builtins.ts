import { PluginNotFoundError } from "@sparsegrain/core";

/** Options as a config loader passes them to `create*()`: the factory checks them. */
export type RawOptions = Readonly<Record<string, unknown>> | undefined;

/** A built-in plugin factory, whatever its options type (it checks them at run time). */
export type BuiltinFactory<T> = (options?: never) => T;

/** The built-ins of one plugin kind, as {@link builtinCreator} returns them. */
export interface BuiltinCreator<T> {
  /** Registry names, in the order of the factory table. */
  readonly names: readonly string[];
  /** Builds the built-in `name`; throws `PluginNotFoundError` for an unknown name. */
  create(name: string, options?: RawOptions): T;
}

/**
 * The lookup behind `createGranularity()`, `createSaliency()` and `createEncoder()`: `factories`
 * maps every registry name (in report order) to its factory, which receives the options
 * unchecked and throws `ConfigError` for unknown or bad ones. An unknown name throws
 * `PluginNotFoundError` for `kind` (e.g. `"granularity"`) listing the known names.
 */
export function builtinCreator<T>(
  kind: string,
  factories: Readonly<Record<string, BuiltinFactory<T>>>,
): BuiltinCreator<T> {
  const names: readonly string[] = Object.keys(factories);
  return {
    names,
    create(name, options) {
      if (!Object.hasOwn(factories, name)) throw new PluginNotFoundError(kind, name, names);
      return factories[name](options as never);
    },
  };
}

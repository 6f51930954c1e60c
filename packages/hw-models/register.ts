import { PluginNotFoundError } from "@sparsegrain/core";
import type { AcceleratorModel, Registries } from "@sparsegrain/core";
import type { AcceleratorOptions } from "./accelerator_options.ts";
import { denseModel, denseOptModel } from "./dense.ts";
import { scnnModel } from "./scnn.ts";
import type { HwAcceleratorModel } from "./scnn.ts";

const FACTORIES: Readonly<Record<string, (options?: AcceleratorOptions) => HwAcceleratorModel>> = {
  scnn: scnnModel,
  dense: denseModel,
  "dense-opt": denseOptModel,
};

/**
 * The names of the built-in accelerator models, in report order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ACCELERATOR_NAMES } from "@sparsegrain/hw-models";
 * assert(ACCELERATOR_NAMES.join() === "scnn,dense,dense-opt");
 * ```
 */
export const ACCELERATOR_NAMES: readonly string[] = Object.keys(FACTORIES);

/**
 * Builds a built-in accelerator model by name, for config loaders. Throws
 * `PluginNotFoundError` on an unknown name and `ConfigError` (field `<name>.<option>`) on bad
 * options.
 *
 * @param name `"scnn"`, `"dense"` or `"dense-opt"`
 * @param options machine parameters, as in {@link AcceleratorOptions}
 * @returns the model
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAccelerator } from "@sparsegrain/hw-models";
 * const model = createAccelerator("scnn", { merge: "none" });
 * assert(model.name === "scnn" && model.options?.merge === "none");
 * ```
 */
export function createAccelerator(name: string, options?: AcceleratorOptions): HwAcceleratorModel {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (factory === undefined) {
    throw new PluginNotFoundError("accelerator model", name, ACCELERATOR_NAMES);
  }
  return factory(options);
}

/**
 * Registers `scnn`, `dense` and `dense-opt` with their default (SCNN) parameters.
 *
 * @param registries the registries to add to (only `accelerator` is used)
 * @returns the models registered
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistries } from "@sparsegrain/core";
 * import { registerAccelerators } from "@sparsegrain/hw-models";
 * const registries = createRegistries();
 * registerAccelerators(registries);
 * assert(registries.accelerator.names().join() === "scnn,dense,dense-opt");
 * ```
 */
export function registerAccelerators(
  registries: Pick<Registries, "accelerator">,
): AcceleratorModel[] {
  const models = ACCELERATOR_NAMES.map((name) => createAccelerator(name));
  for (const model of models) registries.accelerator.register(model);
  return models;
}

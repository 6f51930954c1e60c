/**
 * Wires the CLI to the other sparsegrain packages: built-in plugins, the model zoo, saved models
 * and the accuracy half.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRegistries, type PluginKind } from "@sparsegrain/core";
import {
  createEncoder,
  createGranularity,
  createSaliency,
  registerBuiltins,
} from "@sparsegrain/granularities";
import { createAccelerator, registerAccelerators } from "@sparsegrain/hw-models";
import { createModel, modelNames, summarizeModel } from "@sparsegrain/models";
import type { CliDeps, ModelFacts } from "./commands/_command.ts";
import type { Catalog } from "./config/catalog.ts";
import type { ModelChoice } from "./study/points.ts";
import type { LayerShape } from "./study/weight_free.ts";
import { accuracyRunner } from "./study/accuracy.ts";
import { openSavedModel } from "./study/saved_model.ts";
import { workerPool } from "./study/pool.ts";

let backend: Promise<void> | undefined;

/**
 * Picks tfjs's `cpu` backend for building models to read their shapes (its tensors are freed on
 * dispose, while the wasm heap never shrinks; the accuracy half switches to wasm to train) and
 * silences tfjs's console banner: the CLI's stderr is for progress.
 */
export function tfReady(): Promise<void> {
  backend ??= (async () => {
    tf.env().set("PROD", true);
    await tf.setBackend("cpu");
    await tf.ready();
  })();
  return backend;
}

/** A fresh catalog: registries with every built-in, factories, zoo names. */
export function builtinCatalog(): Catalog {
  const registries = createRegistries();
  registerBuiltins(registries);
  registerAccelerators(registries);
  const names = (kind: PluginKind) => new Set(registries[kind].names());
  return {
    registries,
    builtin: {
      granularity: names("granularity"),
      saliency: names("saliency"),
      encoder: names("encoder"),
      accelerator: names("accelerator"),
    },
    factories: {
      granularity: (name, options) => createGranularity(name, options),
      saliency: (name, options) => createSaliency(name, options),
      encoder: (name, options) => createEncoder(name, options),
      accelerator: (name, options) => createAccelerator(name, options),
    },
    models: modelNames(),
  };
}

/** Facts of a zoo model built with zero weights (fast; shapes and MACs only). */
export function zooFacts(choice: ModelChoice): ModelFacts {
  const model = createModel(choice.name, {
    ...(choice.input ? { inputShape: choice.input } : {}),
    ...(choice.classes ? { classes: choice.classes } : {}),
    init: "zeros",
  });
  try {
    const s = summarizeModel(model);
    return {
      model: choice.name,
      inputShape: s.inputShape,
      params: s.params,
      weights: s.weights,
      macs: s.macs,
      layers: s.layers.map((l) => ({
        name: l.name,
        kind: l.kind,
        shape: l.shape,
        params: l.params,
        macs: l.macs,
        ...(l.geometry ? { geometry: l.geometry } : {}),
      })),
    };
  } finally {
    model.dispose();
  }
}

/** Prunable layer shapes of a zoo model. */
export function zooShapes(choice: ModelChoice): LayerShape[] {
  return zooFacts(choice).layers.map((l) => ({
    name: l.name,
    kind: l.kind,
    shape: l.shape,
    ...(l.geometry ? { geometry: l.geometry } : {}),
  }));
}

/** The dependencies `main` runs with. */
export function builtinDeps(): CliDeps {
  return {
    ready: tfReady,
    catalog: builtinCatalog,
    shapes: zooShapes,
    facts: zooFacts,
    openModel: openSavedModel,
    accuracy: accuracyRunner(),
    pool: workerPool,
  };
}

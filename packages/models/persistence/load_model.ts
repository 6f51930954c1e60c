/**
 * Load a model folder, or load its weights into a model built from the zoo.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { LayersModel } from "../layers.ts";
import { fileIOHandler } from "./file_io_handler.ts";
import { ModelFileError } from "./model_file_error.ts";

function zeroInitializers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(zeroInitializers);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const isInitializer = /initializer$/i.test(k) && typeof v === "object" && v !== null;
    out[k] = isInitializer ? { class_name: "Zeros", config: {} } : zeroInitializers(v);
  }
  return out;
}

/**
 * Loads a model saved by {@link saveModel} (or any tfjs LayersModel folder with `model.json`
 * and its shards), topology and weights. The topology is rebuilt with zero initialisers (fast
 * even for VGG-16), then every weight is checked by name and shape and written; on any failure
 * nothing is left allocated.
 *
 * @param dir The model folder.
 * @returns The model (uncompiled, with the saved `userDefinedMetadata`); call `dispose()` when
 *   done.
 * @throws {ModelFileError} When `model.json` is missing or malformed, a shard is missing or
 *   truncated, or the weights do not match the saved topology.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, loadModel, saveModel } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const dir = await Deno.makeTempDir();
 * const model = createModel("convnet", { seed: 1 });
 * await saveModel(model, dir);
 * const loaded = await loadModel(dir);
 * assert(loaded.getLayer("conv1").getWeights()[0].shape[0] === 5);
 * model.dispose();
 * loaded.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadModel(dir: string): Promise<LayersModel> {
  const artifacts = await fileIOHandler(dir).load!();
  let model: LayersModel;
  try {
    type Topology = Parameters<typeof tf.models.modelFromJSON>[0];
    model = await tf.models.modelFromJSON(
      { modelTopology: zeroInitializers(artifacts.modelTopology) } as Topology,
    );
  } catch (e) {
    throw new ModelFileError(
      "load",
      dir,
      `the saved topology cannot be rebuilt (${(e as Error).message}): save the model again ` +
        "with this version of sparsegrain",
      { cause: e },
    );
  }
  try {
    assignWeights(model, artifacts, dir, "the saved topology", "save the model again");
  } catch (e) {
    model.dispose();
    throw e;
  }
  if (artifacts.userDefinedMetadata !== undefined) {
    model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
  }
  return model;
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Loads the weights of a saved model folder into `model`, matching them by weight name
 * (`conv1/kernel`, `conv1/bias`, ...) and shape. Every weight of the model must be in the
 * folder with the same shape and the folder must hold no others; otherwise nothing is written
 * and a {@link ModelFileError} names the first mismatches. Use it to put trained or
 * user-supplied weights into a zoo architecture.
 *
 * @param model The model to fill (its variables are overwritten).
 * @param dir The model folder.
 * @returns Resolves when every weight is written.
 * @throws {ModelFileError} When files are missing or the names or shapes do not match.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, loadWeights, saveModel } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const dir = await Deno.makeTempDir();
 * const trained = createModel("lenet5", { seed: 1 });
 * await saveModel(trained, dir);
 * const fresh = createModel("lenet5", { init: "zeros" });
 * await loadWeights(fresh, dir);
 * const a = trained.getLayer("fc3").getWeights()[0].dataSync();
 * const b = fresh.getLayer("fc3").getWeights()[0].dataSync();
 * assert(a.every((v, i) => v === b[i]));
 * trained.dispose();
 * fresh.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadWeights(model: LayersModel, dir: string): Promise<void> {
  const artifacts = await fileIOHandler(dir).load!();
  assignWeights(
    model,
    artifacts,
    dir,
    `the architecture of "${model.name}"`,
    "build the model with the architecture, inputShape and classes it was saved with",
  );
}

/** Checks every weight by name and shape, then writes them all, or throws and writes none. */
function assignWeights(
  model: LayersModel,
  artifacts: tf.io.ModelArtifacts,
  dir: string,
  what: string,
  fix: string,
): void {
  const saved = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  try {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const w of model.weights) {
      seen.add(w.originalName);
      const t = saved[w.originalName];
      if (t === undefined) {
        problems.push(`"${w.originalName}" is missing`);
      } else if (t.shape.join(",") !== w.shape.join(",")) {
        problems.push(
          `"${w.originalName}" is ${describeShape(t.shape)} in the folder but ` +
            `${describeShape(w.shape as number[])} in the model`,
        );
      }
    }
    for (const name of Object.keys(saved)) {
      if (!seen.has(name)) problems.push(`"${name}" is not in the model`);
    }
    if (problems.length > 0) {
      const shown = problems.slice(0, 3).join("; ") +
        (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
      throw new ModelFileError(
        "load",
        dir,
        `the saved weights do not match ${what} (${shown}): ${fix}`,
      );
    }
    for (const w of model.weights) w.write(saved[w.originalName]);
  } finally {
    tf.dispose(saved);
  }
}

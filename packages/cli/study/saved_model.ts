/**
 * Opens a saved tfjs LayersModel folder (`model.json` + weight shards) for `prune` and
 * `cost --weights`.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";
import { extractLayerWeights, loadModel, saveModel, writeLayerWeights } from "@sparsegrain/models";
import type { SavedModel } from "../commands/_command.ts";

/** Loads the model in `dir`; errors about missing or broken files are user errors. */
export async function openSavedModel(dir: string): Promise<SavedModel> {
  try {
    const info = await Deno.stat(dir);
    if (!info.isDirectory) {
      throw new UserError(
        `Cannot open model "${dir}": it is a file: pass the folder holding model.json`,
      );
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot open model "${dir}": the folder does not exist: pass a folder written by saveModel (model.json + weights)`,
      );
    }
    throw error;
  }
  const model = await loadModel(dir);
  const layers = extractLayerWeights(model).map((l) => ({
    ...l,
    values: new Float32Array(l.values),
  }));
  return {
    layers,
    async save(out, values) {
      writeLayerWeights(model, [...values].map(([name, v]) => ({ name, values: v })));
      await saveModel(model, out);
    },
    dispose: () => model.dispose(),
  };
}

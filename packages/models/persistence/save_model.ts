/**
 * Save a model folder.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { fileIOHandler, type FileIOOptions } from "./file_io_handler.ts";

/** What {@link saveModel} wrote. */
export interface SavedModel {
  /** The model folder. */
  readonly dir: string;
  /** Bytes of weight data written across the shards. */
  readonly weightBytes: number;
}

/**
 * Saves a tfjs-layers model to a folder in the tfjs LayersModel format (`model.json` plus
 * weight shards), atomically: the folder appears complete or not at all, and replaces an older
 * save only once the new one is written. Optimizer state is not saved.
 *
 * @param model The model to save.
 * @param dir The model folder (created with its parents).
 * @param options Shard size and metadata stored in `model.json` (`userDefinedMetadata`).
 * @returns The folder and the number of weight bytes.
 * @throws {ModelFileError} When the folder cannot be written.
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
 * const model = createModel("lenet5", { seed: 1 });
 * const saved = await saveModel(model, `${dir}/lenet5`, { metadata: { note: "baseline" } });
 * assert(saved.weightBytes === 61706 * 4);
 * const loaded = await loadModel(`${dir}/lenet5`);
 * assert(loaded.getUserDefinedMetadata()?.["note" as never] === "baseline");
 * model.dispose();
 * loaded.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveModel(
  model: LayersModel,
  dir: string,
  options: FileIOOptions = {},
): Promise<SavedModel> {
  const result = await model.save(fileIOHandler(dir, options));
  return { dir, weightBytes: result.modelArtifactsInfo.weightDataBytes ?? 0 };
}

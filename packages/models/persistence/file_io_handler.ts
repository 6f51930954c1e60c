/**
 * A tfjs `IOHandler` that stores LayersModel files in a folder through Deno's file API.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ModelFileError } from "./model_file_error.ts";
// Registers the zoo's custom layers so their saved topologies deserialise.
import "../zoo/_grouped_conv2d.ts";
import "../zoo/_lrn.ts";

/** A tfjs model IO handler (`tf.io.IOHandler`): `model.save(handler)`, `tf.loadLayersModel(handler)`. */
export type IOHandler = tf.io.IOHandler;

/** Options of {@link fileIOHandler}. */
export interface FileIOOptions {
  /** Largest weights shard in bytes. @default 4194304 (4 MiB, as the tfjs converter) */
  shardBytes?: number;
  /** Merged into `userDefinedMetadata` of `model.json` when saving (JSON values). */
  metadata?: Readonly<Record<string, unknown>>;
}

/** Name of the topology and manifest file, as tfjs writes it. */
export const MODEL_JSON = "model.json";

const BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function writeSynced(path: string, bytes: Uint8Array): Promise<void> {
  const file = await Deno.open(path, { write: true, createNew: true });
  try {
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.syncData();
  } finally {
    file.close();
  }
}

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  let n = 1;
  for (const d of spec.shape) n *= d;
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = BYTES[dtype];
  if (bytes === undefined) throw new RangeError(`unsupported weight dtype "${dtype}"`);
  return n * bytes;
}

/** A shard file name must stay inside the model folder. */
function safeShardName(name: unknown): name is string {
  return typeof name === "string" && name.length > 0 && !name.includes("/") &&
    !name.includes("\\") && name !== "." && name !== "..";
}

async function save(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
  options: FileIOOptions,
): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ModelFileError(
      "save",
      dir,
      "the model is a graph model: save a tfjs LayersModel",
    );
  }
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(shardBytes) || shardBytes < 1) {
    throw new RangeError(`shardBytes must be a positive integer, found ${shardBytes}`);
  }
  const data = new Uint8Array(
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : tf.io.concatenateArrayBuffers(artifacts.weightData),
  );
  const shards = Math.max(1, Math.ceil(data.byteLength / shardBytes));
  const paths = Array.from({ length: shards }, (_, i) => `group1-shard${i + 1}of${shards}.bin`);
  const metadata = { ...(artifacts.userDefinedMetadata ?? {}), ...(options.metadata ?? {}) };
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as Record<string, unknown>,
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: "sparsegrain",
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig === undefined ? {} : { trainingConfig: artifacts.trainingConfig }),
    ...(Object.keys(metadata).length === 0
      ? {}
      : { userDefinedMetadata: metadata as Record<string, Record<string, never>> }),
  };

  const parent = dir.includes("/") ? dir.slice(0, dir.replace(/\/+$/, "").lastIndexOf("/")) : ".";
  try {
    if (parent !== "") await Deno.mkdir(parent, { recursive: true });
  } catch (e) {
    throw new ModelFileError(
      "save",
      dir,
      `cannot create "${parent}" (${e}): choose a writable folder`,
      {
        cause: e,
      },
    );
  }
  const base = dir.replace(/\/+$/, "");
  const tmp = `${base}.tmp-${crypto.randomUUID()}`;
  const old = `${base}.old-${crypto.randomUUID()}`;
  try {
    await Deno.mkdir(tmp);
    for (let i = 0; i < shards; i++) {
      const bytes = data.subarray(i * shardBytes, Math.min(data.byteLength, (i + 1) * shardBytes));
      await writeSynced(join(tmp, paths[i]), bytes);
    }
    await writeSynced(join(tmp, MODEL_JSON), new TextEncoder().encode(JSON.stringify(json)));
    // Swap the finished folder in; an older save is moved aside first and removed after.
    const replaced = await exists(base);
    if (replaced) {
      const info = await Deno.lstat(base);
      if (!info.isDirectory) {
        throw new ModelFileError("save", dir, "the path is a file: choose a folder path");
      }
      await Deno.rename(base, old);
    }
    await Deno.rename(tmp, base);
    if (replaced) await Deno.remove(old, { recursive: true });
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError("save", dir, `${e}: choose a writable folder with free space`, {
      cause: e,
    });
  }
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: "JSON",
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: data.byteLength,
    },
  };
}

async function readJson(dir: string): Promise<tf.io.ModelJSON> {
  const path = join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ModelFileError(
        "load",
        dir,
        `${MODEL_JSON} is missing: point to the folder saveModel() wrote, or save the model first`,
        { cause: e },
      );
    }
    throw new ModelFileError("load", dir, `cannot read ${MODEL_JSON} (${e}): check permissions`, {
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(
      "load",
      dir,
      `${MODEL_JSON} is not valid JSON (${(e as Error).message}): save the model again`,
      { cause: e },
    );
  }
  const j = json as Partial<tf.io.ModelJSON>;
  if (
    typeof json !== "object" || json === null || typeof j.modelTopology !== "object" ||
    !Array.isArray(j.weightsManifest)
  ) {
    throw new ModelFileError(
      "load",
      dir,
      `${MODEL_JSON} has no modelTopology or weightsManifest: save the model again with saveModel()`,
    );
  }
  return j as tf.io.ModelJSON;
}

async function load(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = await readJson(dir);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  let total = 0;
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw new ModelFileError(
        "load",
        dir,
        `${MODEL_JSON} has a malformed weightsManifest: save the model again`,
      );
    }
    specs.push(...group.weights);
    for (const name of group.paths) {
      if (!safeShardName(name)) {
        throw new ModelFileError(
          "load",
          dir,
          `${MODEL_JSON} lists shard ${
            JSON.stringify(name)
          } outside the folder: save the model again`,
        );
      }
      try {
        const bytes = await Deno.readFile(join(dir, name));
        buffers.push(bytes);
        total += bytes.byteLength;
      } catch (e) {
        const missing = e instanceof Deno.errors.NotFound;
        throw new ModelFileError(
          "load",
          dir,
          missing
            ? `weights shard "${name}" listed in ${MODEL_JSON} is missing: copy every ` +
              `group*-shard*.bin file with model.json, or save the model again`
            : `cannot read weights shard "${name}" (${e}): check permissions`,
          { cause: e },
        );
      }
    }
  }
  let expected = 0;
  for (const spec of specs) expected += specBytes(spec);
  if (total !== expected) {
    throw new ModelFileError(
      "load",
      dir,
      `the weights shards hold ${total} bytes but ${MODEL_JSON} describes ${expected}: ` +
        "a shard is truncated or from another model; save the model again",
    );
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    data.set(b, offset);
    offset += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: data.buffer,
    ...(json.trainingConfig === undefined ? {} : { trainingConfig: json.trainingConfig }),
    ...(json.userDefinedMetadata === undefined
      ? {}
      : { userDefinedMetadata: json.userDefinedMetadata }),
  };
}

/**
 * A tfjs IO handler for a model folder: `model.json` (topology and weights manifest) plus
 * `group1-shard{i}of{n}.bin` weight shards, the standard tfjs LayersModel format, read and
 * written with Deno's file API. Saving writes every file into a temporary sibling folder, syncs
 * it, and renames it into place, so an interrupted save leaves no half-written model (an older
 * save at the same path is replaced only when the new one is complete). Loading checks that
 * `model.json` exists and parses, that every shard exists inside the folder, and that the shards
 * hold exactly the bytes the manifest describes, and throws {@link ModelFileError} otherwise.
 *
 * @param dir The model folder (created on save, with its parents).
 * @param options Shard size and extra metadata for saving.
 * @returns A handler for `model.save()` and `tf.loadLayersModel()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, fileIOHandler } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const dir = await Deno.makeTempDir();
 * const model = createModel("lenet5", { seed: 1 });
 * await model.save(fileIOHandler(`${dir}/lenet5`));
 * const loaded = await tf.loadLayersModel(fileIOHandler(`${dir}/lenet5`));
 * assert(loaded.countParams() === model.countParams());
 * model.dispose();
 * loaded.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function fileIOHandler(dir: string, options: FileIOOptions = {}): IOHandler {
  return {
    save: (artifacts) => save(dir, artifacts, options),
    load: () => load(dir),
  };
}

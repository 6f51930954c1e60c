/**
 * A folder of trained baseline models keyed by a hash of what produced them.
 *
 * @module
 */
import type { LayersModel } from "../layers.ts";
import { MODEL_JSON } from "./file_io_handler.ts";
import { loadModel } from "./load_model.ts";
import { ModelFileError } from "./model_file_error.ts";
import { saveModel } from "./save_model.ts";

/** What a cached baseline depends on; every field goes into the key. */
export interface ModelCacheKeyInput {
  /** Zoo architecture name, e.g. `"convnet"`. */
  readonly architecture: string;
  /** Options the model was built with (input shape, classes, seed, ...). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Dataset identity: name, files (sizes or hashes), subset, split, normalisation. */
  readonly dataset: unknown;
  /** Training configuration: optimizer, learning rate and schedule, epochs, batch, seeds. */
  readonly training: unknown;
}

/** One cached model. */
export interface ModelCacheEntry {
  /** The key it was stored under. */
  readonly key: string;
  /** Its folder. */
  readonly dir: string;
  /** The loaded model; the caller disposes it. */
  readonly model: LayersModel;
  /** The metadata given to `put()` (e.g. accuracy, training time). */
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A cache of trained models in one folder, one sub-folder per key. */
export interface ModelCache {
  /** The cache folder. */
  readonly dir: string;
  /** The folder of `key` (whether or not it exists). */
  path(key: string): string;
  /** Whether `key` has a complete entry. */
  has(key: string): Promise<boolean>;
  /** Loads the entry of `key`, or resolves `undefined` when there is none. */
  get(key: string): Promise<ModelCacheEntry | undefined>;
  /** Saves `model` under `key` atomically (replacing an older entry); returns its folder. */
  put(key: string, model: LayersModel, meta?: Readonly<Record<string, unknown>>): Promise<string>;
}

const FORMAT = "sparsegrain-model-cache/1";
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function canonical(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot hash "${path}": ${value} is not a finite number`);
      }
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => canonical(v ?? null, `${path}[${i}]`)).join(",")}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `Cannot hash "${path}": only plain objects, arrays, strings, numbers and booleans can ` +
            "be part of a cache key",
        );
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${
        entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, `${path}.${k}`)}`).join(",")
      }}`;
    }
    default:
      throw new TypeError(
        `Cannot hash "${path}": a ${typeof value} cannot be part of a cache key`,
      );
  }
}

/**
 * Hashes what a baseline model depends on into a stable cache key: SHA-256 (hex) of a canonical
 * JSON form (object keys sorted, `undefined` fields dropped), so equal configurations give equal
 * keys whatever their key order.
 *
 * @param input Architecture, build options, dataset identity and training configuration (JSON
 *   values only).
 * @returns 64 lowercase hex digits.
 * @throws {TypeError} On values JSON cannot represent exactly (NaN, functions, class instances).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { modelCacheKey } from "@sparsegrain/models";
 *
 * const a = await modelCacheKey({ architecture: "convnet", dataset: { name: "fmnist" }, training: { epochs: 3, lr: 1e-3 } });
 * const b = await modelCacheKey({ architecture: "convnet", dataset: { name: "fmnist" }, training: { lr: 1e-3, epochs: 3 } });
 * assert(a === b && a.length === 64);
 * ```
 */
export async function modelCacheKey(input: ModelCacheKeyInput): Promise<string> {
  const text = canonical({ format: FORMAT, ...input }, "key");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function checkKey(key: string): void {
  if (!KEY.test(key)) {
    throw new TypeError(
      `Bad model cache key ${
        JSON.stringify(key)
      }: use modelCacheKey() or letters, digits, ".", "_" and "-"`,
    );
  }
}

/**
 * Opens a model cache in `dir` (created on the first `put()`): each entry is a model folder
 * written atomically by {@link saveModel}, with the caller's metadata in `model.json`, so a
 * second sweep with the same key loads the baseline instead of retraining it.
 *
 * @param dir The cache folder, e.g. `.cache/models`.
 * @returns The cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createModel, modelCache, modelCacheKey } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const cache = modelCache(await Deno.makeTempDir());
 * const key = await modelCacheKey({ architecture: "lenet5", dataset: "demo", training: { epochs: 1 } });
 * assert((await cache.get(key)) === undefined);
 * const model = createModel("lenet5", { seed: 1 });
 * await cache.put(key, model, { accuracy: 0.9 });
 * const hit = await cache.get(key);
 * assert(hit?.meta.accuracy === 0.9);
 * model.dispose();
 * hit?.model.dispose();
 * await Deno.remove(cache.dir, { recursive: true });
 * ```
 */
export function modelCache(dir: string): ModelCache {
  const base = dir.replace(/\/+$/, "") || "/";
  const path = (key: string): string => {
    checkKey(key);
    return `${base}/${key}`;
  };
  const has = async (key: string): Promise<boolean> => {
    try {
      return (await Deno.stat(`${path(key)}/${MODEL_JSON}`)).isFile;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  };
  return {
    dir: base,
    path,
    has,
    async get(key) {
      if (!(await has(key))) return undefined;
      const entryDir = path(key);
      const model = await loadModel(entryDir);
      const stored = (model.getUserDefinedMetadata() ?? {}) as Record<string, unknown>;
      const info = stored.sparsegrainCache as
        | { format?: string; key?: string; meta?: Record<string, unknown> }
        | undefined;
      if (info?.format !== FORMAT || info.key !== key) {
        model.dispose();
        throw new ModelFileError(
          "load",
          entryDir,
          `the folder is not the cache entry for key "${key}": delete it so the baseline is retrained`,
        );
      }
      return { key, dir: entryDir, model, meta: info.meta ?? {} };
    },
    async put(key, model, meta = {}) {
      const entryDir = path(key);
      await saveModel(model, entryDir, {
        metadata: {
          sparsegrainCache: { format: FORMAT, key, meta, savedAt: new Date().toISOString() },
        },
      });
      return entryDir;
    },
  };
}

/**
 * Loads a dataset by name, for configs and the CLI.
 *
 * @module
 */
import { ConfigError } from "@sparsegrain/core";
import { loadCifar10 } from "./cifar10.ts";
import { type ImageDataset, loadFashionMnist } from "./fashion_mnist.ts";

/** Names {@link loadDataset} accepts. */
export const DATASET_NAMES: readonly string[] = ["fashion-mnist", "cifar10"];

/**
 * Loads `"fashion-mnist"` or `"cifar10"`.
 *
 * @param name the dataset
 * @param options `dir`: the folder holding the files (`--data DIR`)
 * @returns the training and test sets
 * @throws {ConfigError} for an unknown name; {@link DatasetError} for missing or bad files
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConfigError } from "@sparsegrain/core";
 * import { loadDataset } from "@sparsegrain/models";
 * await loadDataset("imagenet").catch((e) => assert(e instanceof ConfigError));
 * ```
 */
export function loadDataset(name: string, options: { dir?: string } = {}): Promise<ImageDataset> {
  if (name === "fashion-mnist") return loadFashionMnist(options);
  if (name === "cifar10") return loadCifar10(options);
  return Promise.reject(
    new ConfigError(
      "dataset",
      `unknown dataset "${name}": use one of ${DATASET_NAMES.map((n) => `"${n}"`).join(", ")}`,
    ),
  );
}

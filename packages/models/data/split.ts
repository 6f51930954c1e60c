/**
 * Train/validation splits and seeded subsets of an {@link ImageSet}.
 *
 * @module
 */
import { ConfigError } from "@sparsegrain/core";
import { type ImageSet, selectImages } from "./image_set.ts";
import { shuffledIndices } from "./shuffle.ts";

function countOf(field: string, value: number, total: number): number {
  const n = value < 1 ? Math.round(value * total) : value;
  if (!(Number.isInteger(n) && n >= 0 && n <= total) || !(value >= 0)) {
    throw new ConfigError(
      field,
      `expected a fraction in [0, 1) or a whole count up to ${total}, found ${value}: use e.g. 0.1 or 5000`,
    );
  }
  return n;
}

/** Options of {@link splitImages}. */
export interface SplitOptions {
  /** Validation size: a fraction in [0, 1) of the set, or a whole count. */
  validation: number;
  /** Seed of the permutation. @default 0 */
  seed?: number;
}

/**
 * Splits a set into training and validation parts after a seeded shuffle; the parts are
 * disjoint and together hold every image once.
 *
 * @param set the set to split
 * @param options the validation size and seed
 * @returns the two parts, each in shuffled order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitImages, type ImageSet } from "@sparsegrain/models";
 * const set: ImageSet = { name: "t", images: new Uint8Array(10), labels: new Uint8Array(10),
 *   count: 10, height: 1, width: 1, channels: 1, classes: 1 };
 * const { train, validation } = splitImages(set, { validation: 0.2, seed: 3 });
 * assert(train.count === 8 && validation.count === 2);
 * ```
 */
export function splitImages(
  set: ImageSet,
  options: SplitOptions,
): { train: ImageSet; validation: ImageSet } {
  const n = countOf("validation", options.validation, set.count);
  const order = shuffledIndices(set.count, options.seed ?? 0);
  return {
    validation: selectImages(set, order.subarray(0, n), `${set.name}/validation`),
    train: selectImages(set, order.subarray(n), `${set.name}/train`),
  };
}

/**
 * A seeded random subset, for quick runs; with `count >= set.count` the set is returned as is.
 *
 * @param set the set
 * @param count how many images to keep (a fraction in (0, 1) keeps that share)
 * @param seed seed of the draw @default 0
 * @returns the subset, in shuffled order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { subsetImages, type ImageSet } from "@sparsegrain/models";
 * const set: ImageSet = { name: "t", images: new Uint8Array(10), labels: new Uint8Array(10),
 *   count: 10, height: 1, width: 1, channels: 1, classes: 1 };
 * assert(subsetImages(set, 3).count === 3);
 * ```
 */
export function subsetImages(set: ImageSet, count: number, seed = 0): ImageSet {
  if (count >= set.count && Number.isInteger(count)) return set;
  const n = countOf("subset", count, set.count);
  return selectImages(set, shuffledIndices(set.count, seed).subarray(0, n), `${set.name}[${n}]`);
}

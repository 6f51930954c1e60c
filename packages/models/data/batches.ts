/**
 * Turns an {@link ImageSet} into float batches: seeded shuffling, per-channel normalisation and
 * optional CIFAR-style augmentation (random crop from a zero-padded image, horizontal flip).
 *
 * @module
 */
import { ConfigError, seededRandom } from "@sparsegrain/core";
import type { ImageSet } from "./image_set.ts";
import { shuffledIndices } from "./shuffle.ts";

/** Per-channel normalisation: `x = (pixel / 255 - mean[c]) / std[c]`. */
export interface Normalization {
  /** Mean per channel, in [0, 1] pixel units. */
  readonly mean: readonly number[];
  /** Standard deviation per channel, in [0, 1] pixel units. */
  readonly std: readonly number[];
}

/** Random augmentation applied while assembling training batches. */
export interface Augmentation {
  /** Zero padding added on each side before a random crop back to the original size. @default 0 */
  readonly crop?: number;
  /** Flip each image left-right with probability 1/2. @default false */
  readonly flip?: boolean;
}

/** Options of {@link imageBatches}. */
export interface BatchOptions {
  /** Images per batch. */
  batchSize: number;
  /** Visit the images in a seeded random order. @default false */
  shuffle?: boolean;
  /** Seed of the order and of the augmentation. @default 0 */
  seed?: number;
  /** Normalisation; the default scales pixels to [0, 1]. */
  normalization?: Normalization;
  /** Augmentation (training only). */
  augment?: Augmentation;
  /** Skip the last batch when it is smaller than `batchSize`. @default false */
  dropRemainder?: boolean;
}

/** One batch: NHWC floats and class indices. */
export interface Batch {
  /** `size * height * width * channels` normalised pixels, NHWC. */
  readonly images: Float32Array;
  /** `size` class indices. */
  readonly labels: Int32Array;
  /** Number of images in this batch. */
  readonly size: number;
}

/**
 * Mean and standard deviation of each channel over a set, in [0, 1] pixel units; use the
 * training set's statistics for every split.
 *
 * @param set the images
 * @returns the normalisation
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { channelStatistics, type ImageSet } from "@sparsegrain/models";
 * const set: ImageSet = { name: "t", images: new Uint8Array([0, 255]), labels: new Uint8Array(2),
 *   count: 2, height: 1, width: 1, channels: 1, classes: 1 };
 * const s = channelStatistics(set);
 * assert(s.mean[0] === 0.5 && s.std[0] === 0.5);
 * ```
 */
export function channelStatistics(set: ImageSet): Normalization {
  const c = set.channels;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  const px = set.images;
  for (let i = 0; i < px.length; i += c) {
    for (let k = 0; k < c; k++) {
      const v = px[i + k];
      sum[k] += v;
      sq[k] += v * v;
    }
  }
  const n = px.length / c;
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < c; k++) {
    const m = sum[k] / n;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(sq[k] / n - m * m, 0)) / 255 || 1);
  }
  return { mean, std };
}

function checkOptions(set: ImageSet, options: BatchOptions): void {
  if (!(Number.isInteger(options.batchSize) && options.batchSize >= 1)) {
    throw new ConfigError(
      "batchSize",
      `expected a positive integer, found ${options.batchSize}: use e.g. 64`,
    );
  }
  const norm = options.normalization;
  if (
    norm !== undefined &&
    (norm.mean.length !== set.channels || norm.std.length !== set.channels ||
      norm.std.some((s) => !(s > 0)))
  ) {
    throw new ConfigError(
      "normalization",
      `expected ${set.channels} means and ${set.channels} positive deviations: compute them with channelStatistics()`,
    );
  }
  const crop = options.augment?.crop ?? 0;
  if (!(Number.isInteger(crop) && crop >= 0)) {
    throw new ConfigError(
      "augment.crop",
      `expected a whole number of pixels, found ${crop}: use e.g. 4`,
    );
  }
}

/**
 * Yields the set in batches. Each batch is a fresh pair of arrays.
 *
 * @param set the images
 * @param options batch size, order, normalisation and augmentation
 * @returns a generator of batches covering the set once (an epoch)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { imageBatches, type ImageSet } from "@sparsegrain/models";
 * const set: ImageSet = { name: "t", images: new Uint8Array([0, 51, 255]), labels: new Uint8Array([2, 1, 0]),
 *   count: 3, height: 1, width: 1, channels: 1, classes: 3 };
 * const sizes = [...imageBatches(set, { batchSize: 2 })].map((b) => b.size);
 * assert(sizes.join() === "2,1");
 * ```
 */
export function* imageBatches(set: ImageSet, options: BatchOptions): Generator<Batch> {
  checkOptions(set, options);
  const { batchSize } = options;
  const seed = options.seed ?? 0;
  const order = options.shuffle ? shuffledIndices(set.count, seed) : undefined;
  const { height: h, width: w, channels: c } = set;
  const size = h * w * c;
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    const mean = options.normalization?.mean[k] ?? 0;
    const std = options.normalization?.std[k] ?? 1;
    scale[k] = 1 / (255 * std);
    shift[k] = -mean / std;
  }
  // One float per byte value and channel: normalising becomes a table lookup.
  const table = new Float32Array(256 * c);
  for (let v = 0; v < 256; v++) {
    for (let k = 0; k < c; k++) table[v * c + k] = v * scale[k] + shift[k];
  }
  const pad = options.augment?.crop ?? 0;
  const flip = options.augment?.flip ?? false;
  const random = seededRandom(seed ^ 0x5bd1e995);
  const zero = new Float32Array(c);
  for (let k = 0; k < c; k++) zero[k] = shift[k];
  const px = set.images;
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    if (n < batchSize && options.dropRemainder) break;
    const images = new Float32Array(n * size);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = order === undefined ? start + i : order[start + i];
      labels[i] = set.labels[j];
      const src = j * size;
      const dst = i * size;
      if (pad === 0 && !flip) {
        for (let p = 0; p < size; p += c) {
          for (let k = 0; k < c; k++) images[dst + p + k] = table[px[src + p + k] * c + k];
        }
        continue;
      }
      const dy = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0;
      const dx = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0;
      const mirror = flip && random() < 0.5;
      for (let y = 0; y < h; y++) {
        const sy = y + dy;
        for (let x = 0; x < w; x++) {
          const sx = (mirror ? w - 1 - x : x) + dx;
          const o = dst + (y * w + x) * c;
          if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
            for (let k = 0; k < c; k++) images[o + k] = zero[k];
          } else {
            const s = src + (sy * w + sx) * c;
            for (let k = 0; k < c; k++) images[o + k] = table[px[s + k] * c + k];
          }
        }
      }
    }
    yield { images, labels, size: n };
  }
}

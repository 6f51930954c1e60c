/**
 * The in-memory image dataset every loader returns and the training loop consumes.
 *
 * @module
 */

/**
 * A labelled image set held as raw bytes, NHWC (`images[((i * height + y) * width + x) *
 * channels + c]`). Pixels stay 0..255 until a batch is assembled, so a set costs one byte per
 * pixel; normalisation and augmentation happen per batch.
 */
export interface ImageSet {
  /** Where it came from, e.g. `"fashion-mnist/train"`. */
  readonly name: string;
  /** Raw pixels, `count * height * width * channels` bytes, NHWC. */
  readonly images: Uint8Array;
  /** Class index of every image, in `0..classes-1`. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channels per pixel. */
  readonly channels: number;
  /** Number of classes. */
  readonly classes: number;
}

/**
 * Copies the images at `indices` (in that order) into a new set.
 *
 * @param set the source set
 * @param indices image indices, each in `0..count-1`
 * @param name the new set's name
 * @returns the selected images and labels
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectImages, type ImageSet } from "@sparsegrain/models";
 * const set: ImageSet = { name: "t", images: new Uint8Array([1, 2, 3]), labels: new Uint8Array([0, 1, 0]),
 *   count: 3, height: 1, width: 1, channels: 1, classes: 2 };
 * const two = selectImages(set, [2, 0]);
 * assert(two.count === 2 && two.images[0] === 3);
 * ```
 */
export function selectImages(
  set: ImageSet,
  indices: ArrayLike<number>,
  name = `${set.name}[${indices.length}]`,
): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!(j >= 0 && j < set.count && Number.isInteger(j))) {
      throw new RangeError(
        `Image index ${j} is outside "${set.name}" (0..${set.count - 1}): pass valid indices`,
      );
    }
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j];
  }
  return { ...set, name, images, labels, count: indices.length };
}

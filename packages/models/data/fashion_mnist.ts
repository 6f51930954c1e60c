/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 training and 10,000 test images, 28x28 grey, 10
 * classes, as the four IDX files of the Debian package `dataset-fashion-mnist`.
 *
 * @module
 */
import { DatasetError } from "@sparsegrain/core";
import { channelStatistics, type Normalization } from "./batches.ts";
import type { ImageSet } from "./image_set.ts";
import { type IdxArray, readIdx } from "./idx.ts";
import { settleInOrder } from "./_read_file.ts";

/** Where `apt-get install -y dataset-fashion-mnist` puts the files. */
export const FASHION_MNIST_DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

/** The class names, in label order. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

const FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

const MISSING =
  "install with `apt-get install -y dataset-fashion-mnist` or point `--data DIR` / `SPARSEGRAIN_DATA` at a folder holding the four IDX files";

/** A dataset's fixed splits. */
export interface ImageDataset {
  /** The training split. */
  readonly train: ImageSet;
  /** The test split. */
  readonly test: ImageSet;
  /** The folder the files were read from. */
  readonly dir: string;
  /** Per-channel statistics of the training split, for normalising every split. */
  readonly normalization: Normalization;
}

/** Options of {@link loadFashionMnist}. */
export interface FashionMnistOptions {
  /**
   * Folder holding the four IDX files (`.gz` or raw). When absent: the `SPARSEGRAIN_DATA`
   * environment variable, then {@link FASHION_MNIST_DEFAULT_DIR}.
   */
  dir?: string;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function envDir(): string | undefined {
  try {
    return Deno.env.get("SPARSEGRAIN_DATA") || undefined;
  } catch {
    return undefined; // no --allow-env: fall through to the default folder
  }
}

function fileIn(dir: string, base: string): string | undefined {
  for (const name of [`${base}.gz`, base]) {
    if (exists(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return undefined;
}

/**
 * Finds the folder holding Fashion-MNIST: `dir`, else `SPARSEGRAIN_DATA`, else
 * {@link FASHION_MNIST_DEFAULT_DIR}. A folder whose `fashion-mnist/` sub-folder holds the files
 * is accepted too.
 *
 * @param dir an explicit folder (the CLI's `--data DIR`)
 * @returns the folder that holds all four files
 * @throws {DatasetError} naming the first missing file, with how to install the dataset
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatasetError } from "@sparsegrain/core";
 * import { locateFashionMnist } from "@sparsegrain/models";
 * try {
 *   locateFashionMnist("/nonexistent");
 * } catch (e) {
 *   assert(e instanceof DatasetError && e.message.includes("apt-get install"));
 * }
 * ```
 */
export function locateFashionMnist(dir?: string): string {
  const base = (dir ?? envDir() ?? FASHION_MNIST_DEFAULT_DIR).replace(/\/+$/, "") || "/";
  for (const candidate of [base, `${base}/fashion-mnist`]) {
    if (Object.values(FILES).every((f) => fileIn(candidate, f) !== undefined)) return candidate;
  }
  const missing = Object.values(FILES).find((f) => fileIn(base, f) === undefined)!;
  throw new DatasetError(`${base}/${missing}.gz`, MISSING);
}

function check(
  images: IdxArray,
  labels: IdxArray,
  imagePath: string,
  labelPath: string,
): { count: number } {
  if (images.magic !== 2051) {
    throw new DatasetError(
      imagePath,
      `expected an image file with magic 2051 (ubyte, 3 dimensions), found ${images.magic}: check the file names`,
    );
  }
  if (labels.magic !== 2049) {
    throw new DatasetError(
      labelPath,
      `expected a label file with magic 2049 (ubyte, 1 dimension), found ${labels.magic}: check the file names`,
    );
  }
  const [n, h, w] = images.dims;
  if (h !== 28 || w !== 28) {
    throw new DatasetError(
      imagePath,
      `expected 28x28 images, found ${h}x${w}: use the Fashion-MNIST files`,
    );
  }
  if (labels.dims[0] !== n) {
    throw new DatasetError(
      labelPath,
      `holds ${
        labels.dims[0]
      } labels but the image file holds ${n} images: download both files again`,
    );
  }
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 9) {
      throw new DatasetError(
        labelPath,
        `label ${data[i]} at index ${i} is outside 0..9: the file is corrupted, download it again`,
      );
    }
  }
  return { count: n };
}

async function split(dir: string, images: string, labels: string, name: string): Promise<ImageSet> {
  const imagePath = fileIn(dir, images)!;
  const labelPath = fileIn(dir, labels)!;
  const [x, y] = await settleInOrder([readIdx(imagePath), readIdx(labelPath)]);
  const { count } = check(x, y, imagePath, labelPath);
  return {
    name,
    images: x.data as Uint8Array,
    labels: y.data as Uint8Array,
    count,
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
  };
}

/**
 * Loads Fashion-MNIST from its four IDX files (gzip or raw), validating magic numbers, counts,
 * image sizes and label ranges.
 *
 * @param options where the files are
 * @returns the training and test sets (raw bytes; normalise per batch)
 * @throws {DatasetError} when the files are missing (saying how to install them) or invalid
 * (naming the file)
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadFashionMnist } from "@sparsegrain/models";
 * const { train, test } = await loadFashionMnist();
 * assert(train.count === 60000 && test.count === 10000);
 * ```
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<ImageDataset> {
  const dir = locateFashionMnist(options.dir);
  const [train, test] = await settleInOrder([
    split(dir, FILES.trainImages, FILES.trainLabels, "fashion-mnist/train"),
    split(dir, FILES.testImages, FILES.testLabels, "fashion-mnist/test"),
  ]);
  return { train, test, dir, normalization: channelStatistics(train) };
}

/**
 * CIFAR-10 in its binary-batch format (`cifar-10-binary.tar.gz` from
 * https://www.cs.toronto.edu/~kriz/cifar.html): five training batches and one test batch of
 * 10,000 records, each a label byte then 1024 red, 1024 green and 1024 blue bytes (32x32,
 * row-major).
 *
 * @module
 */
import { DatasetError } from "@sparsegrain/core";
import { channelStatistics } from "./batches.ts";
import type { ImageDataset } from "./fashion_mnist.ts";
import type { ImageSet } from "./image_set.ts";
import { readMaybeGzip, settleInOrder } from "./_read_file.ts";

/** The class names, in label order. */
export const CIFAR10_CLASSES: readonly string[] = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

const RECORD = 1 + 32 * 32 * 3;
const TRAIN = [
  "data_batch_1.bin",
  "data_batch_2.bin",
  "data_batch_3.bin",
  "data_batch_4.bin",
  "data_batch_5.bin",
];
const TEST = ["test_batch.bin"];
const MISSING =
  "download cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html, extract it and point `--data DIR` / `SPARSEGRAIN_DATA` at the cifar-10-batches-bin folder";

/**
 * Decodes one CIFAR-10 binary batch into NHWC bytes and labels.
 *
 * @param bytes the file contents
 * @param path the file name for error messages
 * @returns images (`count * 32 * 32 * 3`, NHWC) and labels
 * @throws {DatasetError} when the length is not a whole number of records or a label is not 0..9
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeCifar10Batch } from "@sparsegrain/models";
 * const record = new Uint8Array(3073);
 * record[0] = 7;
 * record[1 + 1024] = 200; // green of pixel 0
 * const b = decodeCifar10Batch(record);
 * assert(b.labels[0] === 7 && b.images[1] === 200);
 * ```
 */
export function decodeCifar10Batch(
  bytes: Uint8Array,
  path = "<bytes>",
): { images: Uint8Array; labels: Uint8Array; count: number } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DatasetError(
      path,
      `expected a whole number of ${RECORD}-byte records, found ${bytes.length} bytes (the file is truncated or not a CIFAR-10 binary batch): download it again`,
    );
  }
  const count = bytes.length / RECORD;
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const r = i * RECORD;
    const label = bytes[r];
    if (label > 9) {
      throw new DatasetError(
        path,
        `label ${label} of record ${i} is outside 0..9: the file is corrupted or not a CIFAR-10 batch, download it again`,
      );
    }
    labels[i] = label;
    const o = i * 3072;
    for (let p = 0; p < 1024; p++) {
      images[o + 3 * p] = bytes[r + 1 + p];
      images[o + 3 * p + 1] = bytes[r + 1025 + p];
      images[o + 3 * p + 2] = bytes[r + 2049 + p];
    }
  }
  return { images, labels, count };
}

function has(path: string): boolean {
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
    return undefined;
  }
}

/** Options of {@link loadCifar10}. */
export interface Cifar10Options {
  /** The `cifar-10-batches-bin` folder (or its parent). Default: `SPARSEGRAIN_DATA`. */
  dir?: string;
}

async function readSet(dir: string, files: string[], name: string): Promise<ImageSet> {
  const parts = await settleInOrder(
    files.map(async (f) => decodeCifar10Batch(await readMaybeGzip(`${dir}/${f}`), `${dir}/${f}`)),
  );
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * 3072);
    labels.set(p.labels, at);
    at += p.count;
  }
  return { name, images, labels, count, height: 32, width: 32, channels: 3, classes: 10 };
}

/**
 * Loads CIFAR-10 from its binary batches, validating record sizes and labels.
 *
 * @param options where the files are
 * @returns 50,000 training and 10,000 test images, 32x32x3
 * @throws {DatasetError} when files are missing (saying where to get them) or invalid
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { loadCifar10 } from "@sparsegrain/models";
 * const { train } = await loadCifar10({ dir: "data/cifar-10-batches-bin" });
 * assert(train.count === 50000);
 * ```
 */
export async function loadCifar10(options: Cifar10Options = {}): Promise<ImageDataset> {
  const base = (options.dir ?? envDir() ?? "cifar-10-batches-bin").replace(/\/+$/, "");
  const dir = [base, `${base}/cifar-10-batches-bin`].find((d) =>
    [...TRAIN, ...TEST].every((f) => has(`${d}/${f}`))
  );
  if (dir === undefined) {
    const missing = [...TRAIN, ...TEST].find((f) => !has(`${base}/${f}`)) ?? TRAIN[0];
    throw new DatasetError(`${base}/${missing}`, MISSING);
  }
  const [train, test] = await settleInOrder([
    readSet(dir, TRAIN, "cifar10/train"),
    readSet(dir, TEST, "cifar10/test"),
  ]);
  return { train, test, dir, normalization: channelStatistics(train) };
}

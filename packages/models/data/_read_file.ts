/**
 * File reading shared by the dataset readers: whole files, gunzipped when they carry a gzip
 * header, with every failure turned into a {@link DatasetError} naming the file.
 *
 * @module
 */
import { DatasetError } from "@sparsegrain/core";

/** Reads a file whole; missing or unreadable files become a DatasetError. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new DatasetError(path, "the file does not exist: check the dataset folder", {
        cause: e,
      });
    }
    throw new DatasetError(
      path,
      `the file cannot be read (${(e as Error).message}): check its permissions`,
      {
        cause: e,
      },
    );
  }
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes with the platform's DecompressionStream. */
export async function gunzip(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    );
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new DatasetError(
      path,
      `the gzip data is corrupted or truncated (${(e as Error).message}): download the file again`,
      { cause: e },
    );
  }
}

/** Reads a file and gunzips it when it is gzip-compressed. */
export async function readMaybeGzip(path: string): Promise<Uint8Array> {
  const bytes = await readBytes(path);
  return isGzip(bytes) ? await gunzip(bytes, path) : bytes;
}

/** Like Promise.all, but the error reported is the first one in argument order. */
export async function settleInOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

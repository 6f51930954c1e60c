/**
 * The IDX file format (MNIST, Fashion-MNIST): a 4-byte magic (two zero bytes, a type code, the
 * number of dimensions), one big-endian uint32 per dimension, then the data in row-major order.
 *
 * @module
 */
import { DatasetError } from "@sparsegrain/core";
import { readMaybeGzip } from "./_read_file.ts";

/** Typed arrays an IDX file can hold. */
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A decoded IDX array. */
export interface IdxArray {
  /** The IDX type code: 0x08 ubyte, 0x09 byte, 0x0b int16, 0x0c int32, 0x0d float32, 0x0e float64. */
  readonly type: number;
  /** The magic number, e.g. 2051 for an ubyte image file and 2049 for an ubyte label file. */
  readonly magic: number;
  /** Dimension sizes. */
  readonly dims: readonly number[];
  /** The values, row-major; `Uint8Array` for ubyte files (a view of the input, not a copy). */
  readonly data: IdxData;
}

const TYPES: Record<number, { bytes: number; name: string }> = {
  0x08: { bytes: 1, name: "ubyte" },
  0x09: { bytes: 1, name: "byte" },
  0x0b: { bytes: 2, name: "int16" },
  0x0c: { bytes: 4, name: "int32" },
  0x0d: { bytes: 4, name: "float32" },
  0x0e: { bytes: 8, name: "float64" },
};

/**
 * Decodes IDX bytes, checking the magic, the dimension header and the data length.
 *
 * @param bytes the raw (already decompressed) file contents
 * @param path the file name to put in error messages
 * @returns the array; ubyte data is a view of `bytes`
 * @throws {DatasetError} on a bad magic, an unknown type, or a truncated or oversized file
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeIdx, encodeIdx } from "@sparsegrain/models";
 * const idx = decodeIdx(encodeIdx([2, 2], new Uint8Array([1, 2, 3, 4])));
 * assert(idx.magic === 2050 && idx.data[3] === 4);
 * ```
 */
export function decodeIdx(bytes: Uint8Array, path = "<bytes>"): IdxArray {
  if (bytes.length < 4) {
    throw new DatasetError(
      path,
      `the file is ${bytes.length} bytes, too short for an IDX header: download the file again`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2];
  const rank = bytes[3];
  const info = TYPES[type];
  if (bytes[0] !== 0 || bytes[1] !== 0 || info === undefined || rank === 0) {
    throw new DatasetError(
      path,
      `bad IDX magic 0x${magic.toString(16).padStart(8, "0")} (expected 0x0000TTNN with a known ` +
        `type TT and NN >= 1 dimensions): the file is corrupted or not an IDX file`,
    );
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new DatasetError(
      path,
      `truncated IDX header: expected ${header} bytes for ${rank} dimensions, found ${bytes.length}: download the file again`,
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((p, d) => p * d, 1);
  const expected = header + count * info.bytes;
  if (bytes.length !== expected) {
    throw new DatasetError(
      path,
      `${bytes.length < expected ? "truncated" : "oversized"} IDX file: dimensions ` +
        `${dims.join("x")} of ${info.name} need ${expected} bytes, found ${bytes.length}: ` +
        `download the file again`,
    );
  }
  return { type, magic, dims, data: decodeData(bytes, view, header, count, type) };
}

function decodeData(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  count: number,
  type: number,
): IdxData {
  switch (type) {
    case 0x08:
      return bytes.subarray(offset, offset + count);
    case 0x09:
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 0x0b: {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function typeOf(data: IdxData): number {
  if (data instanceof Uint8Array) return 0x08;
  if (data instanceof Int8Array) return 0x09;
  if (data instanceof Int16Array) return 0x0b;
  if (data instanceof Int32Array) return 0x0c;
  if (data instanceof Float32Array) return 0x0d;
  return 0x0e;
}

/**
 * Encodes an array as IDX bytes (the inverse of {@link decodeIdx}); the type code follows the
 * typed array (`Uint8Array` gives ubyte).
 *
 * @param dims dimension sizes; their product must equal `data.length`
 * @param data the values, row-major
 * @returns the file contents
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdx } from "@sparsegrain/models";
 * const bytes = encodeIdx([3], new Uint8Array([7, 8, 9]));
 * assert(bytes.length === 8 + 3 && bytes[3] === 1);
 * ```
 */
export function encodeIdx(dims: readonly number[], data: IdxData): Uint8Array {
  const count = dims.reduce((p, d) => p * d, 1);
  if (count !== data.length || dims.length === 0 || dims.length > 255) {
    throw new RangeError(
      `Cannot encode IDX: dimensions ${
        dims.join("x")
      } hold ${count} values but data has ${data.length}: pass matching dims`,
    );
  }
  const type = typeOf(data);
  const size = TYPES[type].bytes;
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  if (type === 0x08 || type === 0x09) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, count), header);
  } else {
    for (let i = 0; i < count; i++) {
      const at = header + i * size;
      const v = data[i];
      if (type === 0x0b) view.setInt16(at, v, false);
      else if (type === 0x0c) view.setInt32(at, v, false);
      else if (type === 0x0d) view.setFloat32(at, v, false);
      else view.setFloat64(at, v, false);
    }
  }
  return out;
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected from the gzip header, whatever the file
 * name), and decodes it with {@link decodeIdx}.
 *
 * @param path the file
 * @returns the decoded array
 * @throws {DatasetError} naming the file when it is missing, unreadable, not valid gzip, or not
 * a valid IDX file
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeIdx, readIdx } from "@sparsegrain/models";
 * const path = await Deno.makeTempFile({ suffix: ".idx" });
 * await Deno.writeFile(path, encodeIdx([2], new Uint8Array([5, 6])));
 * assert((await readIdx(path)).data[1] === 6);
 * await Deno.remove(path);
 * ```
 */
export async function readIdx(path: string): Promise<IdxArray> {
  return decodeIdx(await readMaybeGzip(path), path);
}

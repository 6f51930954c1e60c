import { BitstreamError } from "@sparsegrain/core";
import type { BitReader, EncodedLayer, QuantizationReport } from "@sparsegrain/core";
import type { Grains } from "@sparsegrain/core";

/** Bytes of the header every built-in encoder writes (see README.md, "Storage formats"). */
export const HEADER_BYTES = 40;
/** Format version written into byte 4 of the header. */
export const FORMAT_VERSION = 1;

/** The fields of the common header. */
export interface Header {
  /** Four ASCII characters naming the format, as a big-endian u32. */
  readonly magic: number;
  readonly valueBits: number;
  readonly indexBits: number;
  readonly auxBits: number;
  readonly streamBytes: number;
  readonly elements: number;
  readonly grains: number;
  readonly maxGrainSize: number;
  /** Raw IEEE float32 bits of the quantisation scale. */
  readonly scaleBits: number;
  readonly keptGrains: number;
  readonly count2: number;
}

/** Packs four ASCII characters into a big-endian u32. */
export function magicOf(text: string): number {
  return ((text.charCodeAt(0) << 24) | (text.charCodeAt(1) << 16) | (text.charCodeAt(2) << 8) |
    text.charCodeAt(3)) >>> 0;
}

/**
 * Writes values of up to 16 bits MSB-first into a preallocated buffer of exact size (the
 * encoders compute their stream length before writing). Flushes two bytes at a time.
 */
export class BitSink {
  /** The stream, header included. */
  readonly bytes: Uint8Array;
  /** Next byte to write. */
  pos: number;
  /** Pending bits, right-aligned (fewer than 16). */
  acc = 0;
  /** Number of pending bits. */
  n = 0;

  constructor(totalBytes: number, startByte: number) {
    this.bytes = new Uint8Array(totalBytes);
    this.pos = startByte;
  }

  /** Appends the low `bits` bits (at most 16) of `value`, which must be below 2^bits. */
  put(value: number, bits: number): void {
    const acc = (this.acc << bits) | value;
    const n = this.n + bits;
    if (n >= 16) {
      const rest = n - 16;
      const pos = this.pos;
      this.bytes[pos] = acc >>> (rest + 8);
      this.bytes[pos + 1] = acc >>> rest;
      this.pos = pos + 2;
      this.acc = acc & ((1 << rest) - 1);
      this.n = rest;
    } else {
      this.acc = acc;
      this.n = n;
    }
  }

  /** Appends a value of up to 32 bits. */
  putWide(value: number, bits: number): void {
    if (bits <= 16) this.put(value, bits);
    else {
      this.put((value >>> 16) & ((1 << (bits - 16)) - 1), bits - 16);
      this.put(value & 0xffff, 16);
    }
  }

  /**
   * Pads the last byte with zeros. With `exact`, checks that the stream filled the buffer;
   * otherwise returns a copy trimmed to the bytes written.
   */
  finish(exact = true): Uint8Array {
    let n = this.n;
    let acc = this.acc;
    if (n % 8 !== 0) {
      acc <<= 8 - (n % 8);
      n += 8 - (n % 8);
    }
    while (n > 0) {
      n -= 8;
      this.bytes[this.pos++] = acc >>> n;
    }
    this.n = 0;
    this.acc = 0;
    if (this.pos === this.bytes.length) return this.bytes;
    if (exact || this.pos > this.bytes.length) {
      throw new Error(`Internal encoder fault: wrote ${this.pos} of ${this.bytes.length} bytes`);
    }
    return this.bytes.slice(0, this.pos);
  }
}

/** Writes the header into the first {@link HEADER_BYTES} bytes and the checksum last. */
export function writeHeader(bytes: Uint8Array, header: Omit<Header, "streamBytes">): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, header.magic);
  view.setUint8(4, FORMAT_VERSION);
  view.setUint8(5, header.valueBits);
  view.setUint8(6, header.indexBits);
  view.setUint8(7, header.auxBits);
  view.setUint32(8, bytes.length);
  view.setUint32(12, header.elements);
  view.setUint32(16, header.grains);
  view.setUint32(20, header.maxGrainSize);
  view.setUint32(24, header.scaleBits);
  view.setUint32(28, header.keptGrains);
  view.setUint32(32, header.count2);
  view.setUint32(36, streamChecksum(bytes));
}

/** What {@link sealStream} needs to know of a written stream besides its bytes and grains. */
export interface StreamSummary {
  /** Registry name of the encoder. */
  readonly encoder: string;
  /** Four ASCII characters naming the format. */
  readonly magic: string;
  /** Name of the encoded layer. */
  readonly layer: string;
  readonly valueBits: number;
  readonly indexBits: number;
  readonly auxBits: number;
  readonly count2: number;
  readonly keptGrains: number;
  readonly fillers: number;
  /** Payload bits of values, indices and fillers, and the zero padding of the last byte. */
  readonly bits: { value: number; index: number; filler: number; padding: number };
  readonly quantization: QuantizationReport;
}

/**
 * Writes the header of a stream whose payload is written (its element and grain counts from
 * `grains`, its scale from the quantisation report) and returns it as an {@link EncodedLayer}
 * with the size of every part in bits.
 */
export function sealStream(bytes: Uint8Array, grains: Grains, s: StreamSummary): EncodedLayer {
  writeHeader(bytes, {
    magic: magicOf(s.magic),
    valueBits: s.valueBits,
    indexBits: s.indexBits,
    auxBits: s.auxBits,
    elements: grains.elements,
    grains: grains.count,
    maxGrainSize: grains.maxSize,
    scaleBits: floatBits(s.quantization.scale),
    keptGrains: s.keptGrains,
    count2: s.count2,
  });
  const { value, index, filler, padding } = s.bits;
  return {
    encoder: s.encoder,
    layer: s.layer,
    bytes,
    bits: { value, index, filler, header: HEADER_BYTES * 8, padding, total: bytes.length * 8 },
    keptGrains: s.keptGrains,
    fillers: s.fillers,
    quantization: s.quantization,
  };
}

/**
 * Reads and checks the header: length, magic, version, stream length, checksum, and that
 * element count, grain count and largest grain size match `grains`. Throws `BitstreamError`.
 */
export function readHeader(
  bytes: Uint8Array,
  encoder: string,
  magic: string,
  grains: Grains,
): Header {
  if (!(bytes instanceof Uint8Array)) {
    throw new BitstreamError(encoder, `expected a Uint8Array, found ${typeof bytes}`);
  }
  if (bytes.length < HEADER_BYTES) {
    throw new BitstreamError(
      encoder,
      `the stream has ${bytes.length} bytes, fewer than the ${HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0);
  if (found !== magicOf(magic)) {
    throw new BitstreamError(
      encoder,
      `bad magic 0x${found.toString(16).padStart(8, "0")}, expected "${magic}"`,
    );
  }
  const version = view.getUint8(4);
  if (version !== FORMAT_VERSION) {
    throw new BitstreamError(
      encoder,
      `format version ${version} is not supported (this decoder reads ${FORMAT_VERSION})`,
    );
  }
  const streamBytes = view.getUint32(8);
  if (streamBytes !== bytes.length) {
    throw new BitstreamError(
      encoder,
      `the header says ${streamBytes} bytes but the stream has ${bytes.length} (${
        bytes.length < streamBytes ? "truncated" : "trailing bytes"
      })`,
    );
  }
  const stored = view.getUint32(36);
  const computed = streamChecksum(bytes);
  if (stored !== computed) {
    throw new BitstreamError(
      encoder,
      `checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${
        computed.toString(16)
      }), the bytes were altered`,
    );
  }
  const header: Header = {
    magic: found,
    valueBits: view.getUint8(5),
    indexBits: view.getUint8(6),
    auxBits: view.getUint8(7),
    streamBytes,
    elements: view.getUint32(12),
    grains: view.getUint32(16),
    maxGrainSize: view.getUint32(20),
    scaleBits: view.getUint32(24),
    keptGrains: view.getUint32(28),
    count2: view.getUint32(32),
  };
  const expect = (field: string, got: number, want: number) => {
    if (got !== want) {
      throw new BitstreamError(
        encoder,
        `the stream has ${field} ${got} but the grains passed in have ${want}`,
      );
    }
  };
  expect("element count", header.elements, grains.elements);
  expect("grain count", header.grains, grains.count);
  expect("largest grain size", header.maxGrainSize, grains.maxSize);
  if (
    !((header.valueBits >= 2 && header.valueBits <= 16) || header.valueBits === 32)
  ) {
    throw new BitstreamError(encoder, `value bits ${header.valueBits} are not 2..16 or 32`);
  }
  if (header.keptGrains > header.grains) {
    throw new BitstreamError(
      encoder,
      `${header.keptGrains} kept grains exceed the ${header.grains} grains`,
    );
  }
  return header;
}

/**
 * Adler-32 of the stream with the checksum field (bytes 36..39) left out.
 */
export function streamChecksum(bytes: Uint8Array): number {
  const head = adler32(bytes, 0, Math.min(36, bytes.length), 1, 0);
  return adler32(bytes, HEADER_BYTES, bytes.length, head & 0xffff, head >>> 16);
}

/** Adler-32 over `bytes[from..to)`, continuing from sums `a` and `b`. */
function adler32(bytes: Uint8Array, from: number, to: number, a: number, b: number): number {
  for (let i = from; i < to;) {
    const end = Math.min(to, i + 3800); // reduce while the sums are far below 2^53
    // four bytes per step: b gains 4a + 4x0 + 3x1 + 2x2 + x3, as byte by byte
    for (; i + 4 <= end; i += 4) {
      const x0 = bytes[i];
      const x1 = bytes[i + 1];
      const x2 = bytes[i + 2];
      const x3 = bytes[i + 3];
      b += 4 * (a + x0) + 3 * x1 + 2 * x2 + x3;
      a += x0 + x1 + x2 + x3;
    }
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/** Bits needed to write the unsigned integer `n` (0 for n = 0). */
export function bitLength(n: number): number {
  return n <= 0 ? 0 : 32 - Math.clz32(n);
}

/** Throws when more than the zero padding of the last byte is left. */
export function checkTail(reader: BitReader, encoder: string): void {
  const left = reader.remaining;
  if (left >= 8 || (left > 0 && reader.read(left) !== 0)) {
    throw new BitstreamError(
      encoder,
      `${left} bits are left after the last entry, the counts in the header are wrong`,
    );
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE float32 bits of `x`. */
export function floatBits(x: number): number {
  f32[0] = x;
  return u32[0];
}

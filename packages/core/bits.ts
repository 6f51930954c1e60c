import { BitstreamError } from "./errors.ts";

/**
 * Writes values of 1 to 32 bits, most significant bit first, into a growing byte buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BitWriter } from "@sparsegrain/core";
 * const w = new BitWriter();
 * w.write(0b101, 3);
 * w.write(0xff, 8);
 * const bytes = w.finish();
 * assert(bytes.length === 2 && bytes[0] === 0b10111111);
 * ```
 */
export class BitWriter {
  #bytes: Uint8Array;
  #length = 0; // whole bytes written
  #acc = 0; // pending bits, right-aligned
  #pending = 0; // number of pending bits (< 8 between calls)

  /** Creates a writer; `capacityBytes` is a size hint. */
  constructor(capacityBytes = 1024) {
    this.#bytes = new Uint8Array(Math.max(16, capacityBytes));
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.#length * 8 + this.#pending;
  }

  /** Appends the low `bits` bits of `value` (an unsigned integer), 0 <= bits <= 32. */
  write(value: number, bits: number): void {
    if (bits > 24) {
      this.write(Math.floor(value / 0x10000) & ((1 << (bits - 16)) - 1), bits - 16);
      this.write(value & 0xffff, 16);
      return;
    }
    if (this.#length + 5 > this.#bytes.length) this.#grow();
    this.#acc = ((this.#acc << bits) | (value & ((1 << bits) - 1))) >>> 0;
    this.#pending += bits;
    while (this.#pending >= 8) {
      this.#pending -= 8;
      this.#bytes[this.#length++] = (this.#acc >>> this.#pending) & 0xff;
    }
    this.#acc &= (1 << this.#pending) - 1;
  }

  /** Pads the last byte with zero bits and returns the stream (a copy of exact length). */
  finish(): Uint8Array {
    if (this.#pending > 0) this.write(0, 8 - this.#pending);
    return this.#bytes.slice(0, this.#length);
  }

  #grow(): void {
    const next = new Uint8Array(this.#bytes.length * 2);
    next.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = next;
  }
}

/**
 * Reads values written by {@link BitWriter}; reading past the end throws `BitstreamError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BitReader } from "@sparsegrain/core";
 * const r = new BitReader(new Uint8Array([0b10111111, 0b11000000]), "example");
 * assert(r.read(3) === 0b101 && r.read(8) === 0xfe);
 * ```
 */
export class BitReader {
  readonly #bytes: Uint8Array;
  readonly #encoder: string;
  #bit = 0;

  /** Reads `bytes`; `encoder` names the format in error messages. */
  constructor(bytes: Uint8Array, encoder: string) {
    this.#bytes = bytes;
    this.#encoder = encoder;
  }

  /** Bits consumed so far. */
  get position(): number {
    return this.#bit;
  }

  /** Bits left in the stream. */
  get remaining(): number {
    return this.#bytes.length * 8 - this.#bit;
  }

  /** Reads an unsigned value of `bits` bits (0 to 32). */
  read(bits: number): number {
    if (bits > this.remaining) {
      throw new BitstreamError(
        this.#encoder,
        `truncated at bit ${this.#bit}, ${bits} more bits needed but ${this.remaining} left`,
      );
    }
    let value = 0;
    let left = bits;
    while (left > 0) {
      const byte = this.#bytes[this.#bit >>> 3];
      const offset = this.#bit & 7;
      const take = Math.min(8 - offset, left);
      const chunk = (byte >>> (8 - offset - take)) & ((1 << take) - 1);
      value = value * (1 << take) + chunk;
      this.#bit += take;
      left -= take;
    }
    return value;
  }
}

import { BitstreamError } from "@sparsegrain/core";
import type { Mask, QuantizationReport } from "@sparsegrain/core";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The raw IEEE bits of a Float32Array, viewed without copying. */
export function rawBits(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * Quantises kept weights exactly as core's `quantizeLinear` (symmetric, `scale = max|w| /
 * (2^(bits-1) - 1)` rounded to float32, `code = clamp(round(w / scale))`), without allocating
 * tensor-sized arrays, and turns each into a `bits`-bit word: sign-magnitude below 32 bits (the
 * weight's sign bit first, so a `-0` code survives as `quantizeLinear` produces it), raw IEEE
 * float32 bits at 32. Tracks the error report.
 *
 * `Math.round` is slow in V8, so the magnitude is `floor(|w|/scale + 0.5)`, corrected where it
 * differs from `|Math.round(w/scale)|`: an exact half of a negative weight rounds towards zero
 * (`Math.round(-2.5) = -2`), and `|w|/scale = 0.49999999999999994` (where `x + 0.5` rounds up
 * to 1) gives 0.
 */
export class ValueCoder {
  readonly bits: number;
  readonly levels: number;
  readonly scale: number;
  readonly signShift: number;
  /** Largest error, sum of squared errors, and count, kept unboxed. */
  readonly stats: Float64Array = new Float64Array(3);

  constructor(bits: number, scale: number) {
    this.bits = bits;
    this.levels = bits === 32 ? 0 : 2 ** (bits - 1) - 1;
    this.scale = bits === 32 ? 0 : scale;
    this.signShift = bits === 32 ? 0 : bits - 1;
  }

  /** Builds a coder whose scale comes from the kept weights of `values` under `mask`. */
  static fit(values: Float32Array, mask: Mask, bits: number): ValueCoder {
    if (bits === 32) return new ValueCoder(32, 0);
    return new ValueCoder(bits, scaleOf(maxKeptAbs(values, mask), bits));
  }

  /** The word stored for kept weight `v`, whose raw float32 bits are `raw`. */
  word(v: number, raw: number): number {
    if (this.signShift === 0) return raw;
    const scale = this.scale;
    if (!(scale > 0)) return 0;
    const abs = Math.abs(v);
    const code = quantMagnitude(abs, v < 0, scale, this.levels);
    const err = Math.abs(Math.fround(code * scale) - abs);
    const stats = this.stats;
    if (err > stats[0]) stats[0] = err;
    stats[1] += err * err;
    stats[2]++;
    return code | ((raw >>> 31) << this.signShift);
  }

  /** The error report of the words produced so far. */
  report(): QuantizationReport {
    return errorReport(this.bits, this.scale, this.stats[0], this.stats[1], this.stats[2]);
  }
}

/**
 * The scale of symmetric `bits`-bit codes for kept weights up to `maxAbs` in magnitude, as
 * core's `quantizeLinear` computes it (`max|w| / (2^(bits-1) - 1)` rounded to float32); 0 at 32
 * bits, where the raw float32 bits are stored.
 */
export function scaleOf(maxAbs: number, bits: number): number {
  return bits === 32 ? 0 : Math.fround(maxAbs / (2 ** (bits - 1) - 1));
}

/**
 * The error report of `count` quantised values whose largest error is `maxAbsError` and whose
 * squared errors add up to `sumSq` (an RMS error of 0 when nothing was quantised).
 */
export function errorReport(
  bits: number,
  scale: number,
  maxAbsError: number,
  sumSq: number,
  count: number,
): QuantizationReport {
  return { bits, scale, maxAbsError, rmsError: count > 0 ? Math.sqrt(sumSq / count) : 0 };
}

/** The largest `|w|` over the kept elements. */
export function maxKeptAbs(values: Float32Array, mask: Mask): number {
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i] !== 0) {
      const a = Math.abs(values[i]);
      if (a > maxAbs) maxAbs = a;
    }
  }
  return maxAbs;
}

/**
 * `|Math.max(-levels, Math.min(levels, Math.round(w / scale)))|` for a weight of magnitude
 * `abs` and sign `negative`, computed with `Math.floor` (see {@link ValueCoder}). `scale > 0`.
 */
export function quantMagnitude(
  abs: number,
  negative: boolean,
  scale: number,
  levels: number,
): number {
  const x = abs / scale;
  let m = Math.floor(x + 0.5);
  if (m - x >= 0.5 && (negative || x < 0.5)) m -= 1;
  return m > levels ? levels : m | 0;
}

/**
 * Distance of `|w| / scale + 0.5` to the nearest integer under which {@link Quantiser} users
 * recompute a magnitude exactly with {@link quantMagnitude}.
 */
export const NEAR = 1e-9;

/**
 * What the fast writers need to quantise exactly as {@link quantMagnitude}, without its
 * division: `|w| * inverse + 0.5` differs from `|w| / scale + 0.5` by less than 1e-10 (both
 * below 2^16, relative error under 2^-51), so truncating it gives the same magnitude unless it
 * lies within {@link NEAR} of an integer; then (about one weight in 10^9, and on exact halves)
 * the writer calls {@link quantMagnitude}. Away from integers, `x + 0.5` is never rounded up to
 * an integer, so quantMagnitude's half corrections do not apply there either.
 * `dequantised[code]` is `Math.fround(code * scale)`, for the error report.
 */
export interface Quantiser {
  readonly bits: number;
  readonly scale: number;
  readonly inverse: number;
  readonly levels: number;
  readonly dequantised: Float64Array;
}

/** The {@link Quantiser} of `bits`-bit codes (2 to 16) with `scale > 0`. */
export function quantiser(scale: number, bits: number): Quantiser {
  const levels = 2 ** (bits - 1) - 1;
  const dequantised = new Float64Array(levels + 1);
  for (let code = 0; code <= levels; code++) dequantised[code] = Math.fround(code * scale);
  return { bits, scale, inverse: 1 / scale, levels, dequantised };
}

/**
 * The stored word of kept weight `v` (raw float32 bits `raw`) under `q`, as
 * `ValueCoder.word`; its error goes into `errors` (largest, sum of squares, count).
 */
export function quantWord(q: Quantiser, v: number, raw: number, errors: Float64Array): number {
  const abs = Math.abs(v);
  const y = abs * q.inverse + 0.5;
  let mag = y | 0;
  const fraction = y - mag;
  if (fraction < NEAR || fraction > 1 - NEAR) mag = quantMagnitude(abs, v < 0, q.scale, q.levels);
  const code = mag > q.levels ? q.levels : mag;
  const err = Math.abs(q.dequantised[code] - abs);
  if (err > errors[0]) errors[0] = err;
  errors[1] += err * err;
  errors[2]++;
  return code | ((raw >>> 31) << (q.bits - 1));
}

/** Turns stored words back into weights. */
export class ValueDecoder {
  readonly bits: number;
  readonly scale: number;
  readonly signBit: number;

  constructor(encoder: string, bits: number, scaleBits: number) {
    this.bits = bits;
    u32[0] = scaleBits;
    this.scale = f32[0];
    this.signBit = bits === 32 ? 0 : 2 ** (bits - 1);
    if (bits !== 32 && !(Number.isFinite(this.scale) && this.scale >= 0)) {
      throw new BitstreamError(encoder, `scale ${this.scale} is not a finite non-negative number`);
    }
  }

  /** The weight of a stored word (to be written into a Float32Array). */
  value(word: number): number {
    if (this.bits === 32) {
      u32[0] = word;
      return f32[0];
    }
    return word >= this.signBit ? -((word - this.signBit) * this.scale) : word * this.scale;
  }
}

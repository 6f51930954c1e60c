import type { Mask, QuantizationReport } from "./types.ts";

/** Linear, symmetric quantisation of the kept weights of one layer. */
export interface Quantized {
  /** Signed integer code of every element (0 where pruned), in `-(2^(bits-1)-1)..2^(bits-1)-1`. */
  readonly codes: Int32Array;
  /** Dequantised tensor: `codes[i] * scale`, exactly 0 where pruned. */
  readonly values: Float32Array;
  /** Error report over the kept weights. */
  readonly report: QuantizationReport;
}

/**
 * Quantises the kept weights linearly and symmetrically: `scale = max|w| / (2^(bits-1) - 1)`,
 * `code = round(w / scale)`. Pruned weights become exactly 0. With `bits = 32` values stay
 * float (codes are unused and zero, scale 0, no error).
 *
 * @param values the layer's weights
 * @param mask keep mask over elements
 * @param bits bits per value, 2 to 16, or 32 for float
 * @returns codes, dequantised values and the error report
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quantizeLinear } from "@sparsegrain/core";
 * const q = quantizeLinear(new Float32Array([1, -0.5, 0.3]), new Uint8Array([1, 1, 0]), 8);
 * assert(q.codes[0] === 127 && q.values[2] === 0);
 * ```
 */
export function quantizeLinear(values: Float32Array, mask: Mask, bits: number): Quantized {
  if (!(Number.isInteger(bits) && ((bits >= 2 && bits <= 16) || bits === 32))) {
    throw new RangeError(`Cannot quantise to ${bits} bits: use 2 to 16 bits, or 32 for float`);
  }
  const n = values.length;
  const codes = new Int32Array(n);
  const out = new Float32Array(n);
  if (bits === 32) {
    for (let i = 0; i < n; i++) out[i] = mask[i] !== 0 ? values[i] : 0;
    return { codes, values: out, report: { bits, scale: 0, maxAbsError: 0, rmsError: 0 } };
  }
  const levels = 2 ** (bits - 1) - 1;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] !== 0) {
      const a = Math.abs(values[i]);
      if (a > maxAbs) maxAbs = a;
    }
  }
  const scale = Math.fround(maxAbs / levels);
  let maxErr = 0;
  let sumSq = 0;
  let kept = 0;
  if (scale > 0) {
    for (let i = 0; i < n; i++) {
      if (mask[i] === 0) continue;
      const code = Math.max(-levels, Math.min(levels, Math.round(values[i] / scale)));
      codes[i] = code;
      out[i] = code * scale;
      const err = Math.abs(out[i] - values[i]);
      if (err > maxErr) maxErr = err;
      sumSq += err * err;
      kept++;
    }
  }
  return {
    codes,
    values: out,
    report: { bits, scale, maxAbsError: maxErr, rmsError: kept > 0 ? Math.sqrt(sumSq / kept) : 0 },
  };
}

import type {
  EncodedLayer,
  Grains,
  LayerWeights,
  Mask,
  QuantizationReport,
} from "@sparsegrain/core";
import { scanForEncoding } from "./_grain_order.ts";
import { forEachKeptChunk } from "./_kept_values.ts";
import { BitSink, HEADER_BYTES, sealStream } from "./_stream.ts";
import { errorReport, quantiser, quantWord, ValueCoder } from "./_values.ts";

/** Registry name of the dense encoder. */
export const DENSE = "dense";
/** Magic of its streams. */
export const DENSE_MAGIC = "SGDN";

/**
 * Encodes a layer in the dense format (see dense.ts). `"fast"` (8 and 16 bits) stores the code
 * of every kept element at its byte offset in a zeroed buffer (pruned weights are 0);
 * `"general"` (the reference, also used for 32 bits) writes every weight through
 * {@link BitSink}. Both give the same bytes (tests compare them).
 */
export function encodeDense(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
  path: "fast" | "general" = "fast",
): EncodedLayer {
  const { order, scan, raw, scale } = scanForEncoding(layer, mask, grains, valueBits);
  const values = layer.values;
  const n = grains.elements;
  const payload = n * valueBits; // a multiple of 8: no padding
  let bytes: Uint8Array;
  let quantization: QuantizationReport;
  if (path === "fast" && valueBits <= 16) {
    bytes = new Uint8Array(HEADER_BYTES + payload / 8);
    const errors = new Float64Array(3);
    if (scale > 0) {
      const q = quantiser(scale, valueBits);
      const wide = valueBits === 16;
      const elementIndex = order.identity ? scan.keptIndex : undefined;
      forEachKeptChunk(mask, elementIndex, (index, k) => {
        for (let j = 0; j < k; j++) {
          const e = index[j];
          const word = quantWord(q, values[e], raw[e], errors);
          if (wide) {
            bytes[HEADER_BYTES + 2 * e] = word >>> 8;
            bytes[HEADER_BYTES + 2 * e + 1] = word;
          } else bytes[HEADER_BYTES + e] = word;
        }
      });
    }
    quantization = errorReport(valueBits, scale, errors[0], errors[1], errors[2]);
  } else {
    const coder = new ValueCoder(valueBits, scale);
    const sink = new BitSink(HEADER_BYTES + payload / 8, HEADER_BYTES);
    for (let e = 0; e < n; e++) {
      sink.putWide(mask[e] !== 0 ? coder.word(values[e], raw[e]) : 0, valueBits);
    }
    bytes = sink.finish();
    quantization = coder.report();
  }
  return sealStream(bytes, grains, {
    encoder: DENSE,
    magic: DENSE_MAGIC,
    layer: layer.name,
    valueBits,
    indexBits: 0,
    auxBits: 0,
    count2: 0,
    keptGrains: scan.keptGrains,
    fillers: 0,
    bits: { value: payload, index: 0, filler: 0, padding: 0 },
    quantization,
  });
}

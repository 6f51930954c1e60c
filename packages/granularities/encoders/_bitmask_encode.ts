import type { EncodedLayer, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { grainWordWriter, scanForEncoding } from "./_grain_order.ts";
import { fastWritersFit, packFlags, writeKeptInOrder } from "./_kept_values.ts";
import { scatterValues } from "./_memory_order.ts";
import { BitSink, HEADER_BYTES, sealStream } from "./_stream.ts";
import { errorReport, quantiser, ValueCoder } from "./_values.ts";
import type { QuantizationReport } from "@sparsegrain/core";

/** Registry name of the bitmask encoder. */
export const BITMASK = "bitmask";
/** Magic of its streams. */
export const BITMASK_MAGIC = "SGBM";

/**
 * Encodes a layer in the bitmask format (see bitmask.ts). `"fast"` (values up to 16 bits, block
 * or element grains) writes the flag bits, then ORs every kept value into place reading the
 * tensor in memory order; `"general"` (the reference, also used for 32-bit values and grains
 * without a block layout) writes field by field through {@link BitSink}. Both give the same
 * bytes (tests compare them).
 */
export function encodeBitmask(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
  path: "fast" | "general" = "fast",
): EncodedLayer {
  const { order, scan, raw, scale } = scanForEncoding(layer, mask, grains, valueBits);
  const flags = scan.flags;
  const values = layer.values;
  const count = grains.count;
  const valueTotal = scan.keptElements * valueBits;
  const payload = count + valueTotal;
  const padding = (8 - (payload % 8)) % 8;
  const length = HEADER_BYTES + (payload + padding) / 8;
  const fast = path === "fast" && fastWritersFit(valueBits, length, order, scan.keptIndex);
  let bytes: Uint8Array;
  let quantization: QuantizationReport;
  if (fast) {
    const buffer = new Uint8Array(length + 2); // slack for the 3-byte stores
    packFlags(flags, buffer, HEADER_BYTES * 8);
    const errors = new Float64Array(3);
    const start = HEADER_BYTES * 8 + count;
    if (scale > 0 && order.identity) {
      const q = quantiser(scale, valueBits);
      writeKeptInOrder(values, raw, mask, scan.keptIndex, buffer, start, q, errors);
    } else if (scale > 0) {
      const kept = scan.keptIndex!;
      const offsets = new Int32Array(kept.length);
      const sizes = order.sizes;
      for (let j = 0, bit = start; j < kept.length; j++) {
        offsets[j] = bit;
        bit += (sizes === undefined ? grains.maxSize : sizes[kept[j]]) * valueBits;
      }
      scatterValues(values, raw, kept, order.walk!, offsets, buffer, scale, valueBits, errors);
    }
    bytes = buffer.slice(0, length);
    quantization = errorReport(valueBits, scale, errors[0], errors[1], errors[2]);
  } else {
    const coder = new ValueCoder(valueBits, scale);
    const sink = new BitSink(length, HEADER_BYTES);
    let g = 0;
    for (; g + 8 <= count; g += 8) {
      let byte = 0;
      for (let j = 0; j < 8; j++) byte = (byte << 1) | (flags[g + j] !== 0 ? 1 : 0);
      sink.put(byte, 8);
    }
    for (; g < count; g++) sink.put(flags[g] !== 0 ? 1 : 0, 1);
    const putGrain = grainWordWriter(values, grains, order, coder, sink);
    for (g = 0; g < count; g++) if (flags[g] !== 0) putGrain(g);
    bytes = sink.finish();
    quantization = coder.report();
  }
  return sealStream(bytes, grains, {
    encoder: BITMASK,
    magic: BITMASK_MAGIC,
    layer: layer.name,
    valueBits,
    indexBits: 1,
    auxBits: 0,
    count2: 0,
    keptGrains: scan.keptGrains,
    fillers: 0,
    bits: { value: valueTotal, index: count, filler: 0, padding },
    quantization,
  });
}

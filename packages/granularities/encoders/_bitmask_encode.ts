import type { EncodedLayer, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { elementsOfGrain, grainOrder, scanGrains } from "./_grain_order.ts";
import { MAX_FAST_BITS, packFlags, writeKeptInOrder } from "./_kept_values.ts";
import { scatterValues } from "./_memory_order.ts";
import { BitSink, floatBits, HEADER_BYTES, magicOf, writeHeader } from "./_stream.ts";
import { quantiser, rawBits, ValueCoder } from "./_values.ts";
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
  const order = grainOrder(grains);
  const scan = scanGrains(layer, mask, grains, order);
  const flags = scan.flags;
  const values = layer.values;
  const raw = rawBits(values);
  const scale = valueBits === 32 ? 0 : Math.fround(scan.maxAbs / (2 ** (valueBits - 1) - 1));
  const count = grains.count;
  const valueTotal = scan.keptElements * valueBits;
  const payload = count + valueTotal;
  const padding = (8 - (payload % 8)) % 8;
  const length = HEADER_BYTES + (payload + padding) / 8;
  const fast = path === "fast" && valueBits <= 16 && length * 8 <= MAX_FAST_BITS &&
    (order.identity || (order.walk !== undefined && scan.keptIndex !== undefined));
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
    quantization = {
      bits: valueBits,
      scale,
      maxAbsError: errors[0],
      rmsError: errors[2] > 0 ? Math.sqrt(errors[1] / errors[2]) : 0,
    };
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
    const buffer = new Int32Array(grains.maxSize);
    for (g = 0; g < count; g++) {
      if (flags[g] === 0) continue;
      const n = elementsOfGrain(grains, order, g, buffer);
      for (let k = 0; k < n; k++) {
        const e = buffer[k];
        sink.putWide(coder.word(values[e], raw[e]), valueBits);
      }
    }
    bytes = sink.finish();
    quantization = coder.report();
  }
  writeHeader(bytes, {
    magic: magicOf(BITMASK_MAGIC),
    valueBits,
    indexBits: 1,
    auxBits: 0,
    elements: grains.elements,
    grains: count,
    maxGrainSize: grains.maxSize,
    scaleBits: floatBits(quantization.scale),
    keptGrains: scan.keptGrains,
    count2: 0,
  });
  return {
    encoder: BITMASK,
    layer: layer.name,
    bytes,
    bits: {
      value: valueTotal,
      index: count,
      filler: 0,
      header: HEADER_BYTES * 8,
      padding,
      total: bytes.length * 8,
    },
    keptGrains: scan.keptGrains,
    fillers: 0,
    quantization,
  };
}

import { BitReader, BitstreamError } from "@sparsegrain/core";
import type { EncodedLayer, Encoder, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { checkOptionKeys, integerIn } from "../_options.ts";
import { grainOrder, scanGrains } from "./_grain_order.ts";
import {
  BitSink,
  checkTail,
  floatBits,
  HEADER_BYTES,
  magicOf,
  readHeader,
  writeHeader,
} from "./_stream.ts";
import { rawBits, ValueCoder, ValueDecoder } from "./_values.ts";

/** Options of {@link denseEncoder}. */
export interface DenseEncoderOptions {
  /**
   * Bits per weight: 8 or 16 (linear, symmetric quantisation of the kept weights) or 32
   * (float32).
   *
   * @default {8}
   */
  readonly valueBits?: 8 | 16 | 32;
}

const NAME = "dense";
const MAGIC = "SGDN";

/**
 * The dense baseline encoder, registered as `"dense"`: every weight of the tensor in element
 * order, `valueBits` each, pruned weights written as 0; no index. Its size does not depend on
 * the mask, which is what the sparse formats are compared with.
 *
 * @param options the value width
 * @returns the encoder
 * @example
 * ```ts
 * import { blockGrains } from "@sparsegrain/core";
 * import { denseEncoder } from "@sparsegrain/granularities";
 * const layer = { name: "fc", kind: "dense" as const, shape: [2, 4], values: new Float32Array(8).fill(0.25) };
 * const grains = blockGrains([2, 4], [1, 1]);
 * const encoded = denseEncoder({ valueBits: 8 }).encode(layer, new Uint8Array(8).fill(1), grains);
 * console.assert(encoded.bits.value === 64 && encoded.bits.index === 0);
 * ```
 */
export function denseEncoder(options?: DenseEncoderOptions): Encoder {
  checkOptionKeys(NAME, options, ["valueBits"]);
  const valueBits = integerIn(NAME, "valueBits", options?.valueBits, 8, 8, 8, [16, 32]);
  return {
    name: NAME,
    version: "1.0.0",
    options: { valueBits },
    describe: () => `Dense: every weight in ${valueBits} bits, pruned ones as 0, no index`,
    encode: (layer, mask, grains) => encode(layer, mask, grains, valueBits),
    decode,
  };
}

function encode(layer: LayerWeights, mask: Mask, grains: Grains, valueBits: number): EncodedLayer {
  const scan = scanGrains(layer, mask, grains, grainOrder(grains));
  const values = layer.values;
  const raw = rawBits(values);
  const scale = valueBits === 32 ? 0 : Math.fround(scan.maxAbs / (2 ** (valueBits - 1) - 1));
  const coder = new ValueCoder(valueBits, scale);
  const n = grains.elements;
  const payload = n * valueBits; // a multiple of 8: no padding
  const sink = new BitSink(HEADER_BYTES + payload / 8, HEADER_BYTES);
  for (let e = 0; e < n; e++) {
    sink.putWide(mask[e] !== 0 ? coder.word(values[e], raw[e]) : 0, valueBits);
  }
  const bytes = sink.finish();
  const quantization = coder.report();
  writeHeader(bytes, {
    magic: magicOf(MAGIC),
    valueBits,
    indexBits: 0,
    auxBits: 0,
    elements: n,
    grains: grains.count,
    maxGrainSize: grains.maxSize,
    scaleBits: floatBits(quantization.scale),
    keptGrains: scan.keptGrains,
    count2: 0,
  });
  return {
    encoder: NAME,
    layer: layer.name,
    bytes,
    bits: {
      value: payload,
      index: 0,
      filler: 0,
      header: HEADER_BYTES * 8,
      padding: 0,
      total: bytes.length * 8,
    },
    keptGrains: scan.keptGrains,
    fillers: 0,
    quantization,
  };
}

function decode(bytes: Uint8Array, grains: Grains): Float32Array {
  const header = readHeader(bytes, NAME, MAGIC, grains);
  if (header.indexBits !== 0 || ![8, 16, 32].includes(header.valueBits)) {
    throw new BitstreamError(
      NAME,
      `index bits ${header.indexBits} and value bits ${header.valueBits} are not a dense layout`,
    );
  }
  const decoder = new ValueDecoder(NAME, header.valueBits, header.scaleBits);
  const reader = new BitReader(bytes.subarray(HEADER_BYTES), NAME);
  const out = new Float32Array(grains.elements);
  for (let e = 0; e < out.length; e++) out[e] = decoder.value(reader.read(header.valueBits));
  checkTail(reader, NAME);
  return out;
}

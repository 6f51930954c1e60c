/**
 * An example encoder plugin: **Huffman-coded relative indices**, the last stage of Deep
 * Compression (Han, Mao, Dally, ICLR 2016). The layer is first written as the relative-index
 * stream of PAPER.md's storage model, then the index symbols (and, by default, the quantised
 * value codes) are replaced by canonical Huffman codes whose table travels in the stream header.
 * Relative indices are far from uniform (short gaps dominate at moderate density, and coarse
 * grains make them shorter still), so they cost well under `indexBits` bits each.
 *
 * ## The stream
 *
 * Grains are visited in grain-index order. Every kept grain is one entry: its relative index
 * (pruned grains since the previous entry, a symbol in `0..2^indexBits - 1`) then its values
 * (linear symmetric quantisation to `valueBits`, as core's `quantizeLinear`, one code per element in
 * `grains.elementsOf` order). A gap above `max = 2^indexBits - 1` costs filler entries: index
 * `max`, then zero values for the pruned grain the filler stands on; a gap of `g` pruned grains
 * costs `floor(g / 2^indexBits)` fillers. Pruned grains after the last kept grain cost nothing.
 *
 * Layout, MSB first (core's `BitWriter`), every field counted in `bits.header` up to the body:
 *
 * | field | bits |
 * |---|---|
 * | magic `"HFRI"` | 32 |
 * | format version (1) | 8 |
 * | value bits, index bits, values-coded flag | 5, 5, 1 |
 * | elements, grains, entries (kept + fillers) | 32 each |
 * | quantisation scale, IEEE float32 | 32 |
 * | index code table: `n` (`indexBits + 1` bits), then `n` x (symbol `indexBits`, length 5) | |
 * | value code table (when coded): `n` (`valueBits + 1` bits), then `n` x (symbol `valueBits`, length 5) | |
 * | body: per entry, index code then value codes (or fixed `valueBits` words) | value / index / filler |
 * | zero bits to the byte boundary | padding |
 *
 * A value symbol is `code + 2^(valueBits-1) - 1`, so `0..2^valueBits - 2`. Codes are canonical
 * (ordered by length, then symbol) and limited to 24 bits (frequencies are halved until the
 * Huffman tree fits). A table with one symbol gives it a 1-bit code. `bits.value` counts the
 * value codes of kept grains, `bits.index` their index codes, `bits.filler` the index and value
 * codes of filler entries.
 *
 * The decoder checks the magic, version, widths, that element and grain counts match the grains
 * passed in, that every table is a valid prefix code (Kraft sum at most 1, no repeated symbol),
 * that every entry lands on an existing grain, and that only zero padding follows the last entry;
 * anything else throws core's `BitstreamError`.
 *
 * @module
 */
import { BitReader, BitstreamError, BitWriter, ConfigError, LayerError } from "@sparsegrain/core";
import type {
  EncodedLayer,
  Encoder,
  Grains,
  LayerWeights,
  Mask,
  QuantizationReport,
} from "@sparsegrain/core";

/** Options of {@link huffmanEncoder}. */
export interface HuffmanEncoderOptions {
  /**
   * Bits of the linear quantisation of the kept weights, 2 to 16.
   *
   * @default {8}
   */
  readonly valueBits?: number;
  /**
   * Bits of a relative index before Huffman coding, 1 to 12: gaps above `2^indexBits - 1`
   * pruned grains cost filler entries.
   *
   * @default {4}
   */
  readonly indexBits?: number;
  /**
   * Huffman-code the value codes too (Deep Compression does); `false` stores them as fixed
   * `valueBits`-bit words and codes only the indices.
   *
   * @default {true}
   */
  readonly codeValues?: boolean;
  /**
   * Registry name.
   *
   * @default {"huffman"}
   */
  readonly name?: string;
}

const MAGIC = 0x48465249; // "HFRI"
const VERSION = 1;
/** Longest code written; 5 bits of the table hold it. */
const MAX_CODE_LENGTH = 24;

/**
 * Builds the Huffman-coded relative-index encoder (Deep Compression style): a relative-index
 * stream whose indices, and by default value codes, are canonical Huffman codes with the tables
 * in the header. `decode` reads the stream back exactly and throws `BitstreamError` on bad input.
 *
 * @param options value and index widths, whether values are Huffman-coded, the registry name
 * @returns the encoder
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { huffmanEncoder } from "./huffman_encoder.ts";
 * const layer = { name: "fc", kind: "dense" as const, shape: [4, 8], values: new Float32Array(32).fill(0.5) };
 * const grains = blockGrains(layer.shape, [1, 1]);
 * const mask = new Uint8Array(32).map((_, i) => (i % 4 === 0 ? 1 : 0)); // gaps of 3
 * const encoder = huffmanEncoder();
 * const encoded = encoder.encode(layer, mask, grains);
 * // index symbols 0 (once) and 3 (seven times), one value symbol: 1-bit codes for all
 * assert(encoded.bits.index === 8 && encoded.bits.value === 8);
 * assert(encoder.decode(encoded.bytes, grains)[4] === 0.5);
 * ```
 */
export function huffmanEncoder(options: HuffmanEncoderOptions = {}): Encoder {
  const name = options.name ?? "huffman";
  const valueBits = integerOption(name, "valueBits", options.valueBits, 2, 16, 8);
  const indexBits = integerOption(name, "indexBits", options.indexBits, 1, 12, 4);
  const codeValues = options.codeValues ?? true;
  if (typeof codeValues !== "boolean") {
    throw new ConfigError(
      `${name}.codeValues`,
      `found ${JSON.stringify(codeValues)}: use true or false`,
    );
  }
  return {
    name,
    version: "1.0.0",
    options: { valueBits, indexBits, codeValues },
    describe: () =>
      `Huffman-coded relative index (Deep Compression): ${indexBits}-bit gap symbols${
        codeValues ? ` and ${valueBits}-bit value codes` : ""
      } Huffman-coded with canonical tables in the header${
        codeValues ? "" : `, values as fixed ${valueBits}-bit words`
      }, filler entries on overflow`,
    encode: (layer, mask, grains) =>
      encode(name, layer, mask, grains, valueBits, indexBits, codeValues),
    decode: (bytes, grains) => decode(name, bytes, grains),
  };
}

/** The default instance, registered as `"huffman"` when this file is named under `plugins:`. */
export const huffman: Encoder = huffmanEncoder();

function integerOption(
  plugin: string,
  key: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw new ConfigError(
    `${plugin}.${key}`,
    `found ${JSON.stringify(value)}: use a whole number in ${min}..${max}`,
  );
}

/** A canonical prefix code: a length and a code per symbol (length 0 = symbol absent). */
interface Code {
  readonly lengths: Uint8Array;
  readonly codes: Uint32Array;
  /** Symbols present, by (length, symbol): the order the table is written in. */
  readonly order: Int32Array;
}

function encode(
  name: string,
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
  indexBits: number,
  codeValues: boolean,
): EncodedLayer {
  if (layer.values.length !== grains.elements) {
    throw new LayerError(
      layer.name,
      "values",
      `${layer.values.length} values but the grains cover ${grains.elements} elements: encode the layer with its own grains`,
    );
  }
  if (!(mask instanceof Uint8Array) || mask.length !== grains.elements) {
    throw new LayerError(
      layer.name,
      "mask",
      `expected a Uint8Array of ${grains.elements} entries: pass a keep mask over the layer's elements`,
    );
  }
  const values = layer.values;
  const q = fitQuantizer(values, mask, valueBits);
  const maxIndex = 2 ** indexBits - 1;
  // one element per grain, grain g = element g: the common 0-D case, walked without elementsOf
  const identity = grains.block !== undefined && grains.block.block.every((b) => b === 1);

  // Pass 1: symbol frequencies.
  const counts: Counts = {
    index: new Float64Array(maxIndex + 1),
    value: new Float64Array(2 * q.levels + 1),
    kept: 0,
    fillers: 0,
  };
  if (identity) countSingles(values, mask, q, maxIndex, counts);
  else walkGrains(layer.name, values, mask, grains, q, maxIndex, counts, undefined);

  // Pass 2: header, tables, body.
  const indexCode = canonicalCode(counts.index);
  const valueCode = codeValues ? canonicalCode(counts.value) : fixedCode(valueBits, q.levels);
  let bodyBits = 0;
  counts.index.forEach((f, s) => (bodyBits += f * indexCode.lengths[s]));
  counts.value.forEach((f, s) => (bodyBits += f * valueCode.lengths[s]));
  const writer = new BitWriter(64 + Math.ceil(bodyBits / 8) + 4 * counts.value.length);
  writer.write(MAGIC, 32);
  writer.write(VERSION, 8);
  writer.write(valueBits, 5);
  writer.write(indexBits, 5);
  writer.write(codeValues ? 1 : 0, 1);
  writer.write(grains.elements, 32);
  writer.write(grains.count, 32);
  writer.write(counts.kept + counts.fillers, 32);
  writer.write(floatBits(q.report.scale), 32);
  writeTable(writer, indexCode, indexBits);
  if (codeValues) writeTable(writer, valueCode, valueBits);
  const header = writer.bitLength;
  const sink: Sink = { writer, indexCode, valueCode, value: 0, index: 0, filler: 0 };
  if (identity) writeSingles(values, mask, q, maxIndex, sink);
  else walkGrains(layer.name, values, mask, grains, q, maxIndex, undefined, sink);
  const used = writer.bitLength;
  const bytes = writer.finish();
  return {
    encoder: name,
    layer: layer.name,
    bytes,
    bits: {
      value: sink.value,
      index: sink.index,
      filler: sink.filler,
      header,
      padding: bytes.length * 8 - used,
      total: bytes.length * 8,
    },
    keptGrains: counts.kept,
    fillers: counts.fillers,
    quantization: q.report,
  };
}

/** Symbol frequencies and entry counts of pass 1. */
interface Counts {
  readonly index: Float64Array;
  readonly value: Float64Array;
  kept: number;
  fillers: number;
}

/** Where pass 2 writes, and its bit tallies. */
interface Sink {
  readonly writer: BitWriter;
  readonly indexCode: Code;
  readonly valueCode: Code;
  value: number;
  index: number;
  filler: number;
}

/** Pass 1 for one-element grains. */
function countSingles(
  values: Float32Array,
  mask: Mask,
  q: Quantizer,
  maxIndex: number,
  counts: Counts,
): void {
  const { index, value } = counts;
  const { scale, levels } = q;
  let next = 0;
  let kept = 0;
  let fillers = 0;
  for (let e = 0; e < mask.length; e++) {
    if (mask[e] === 0) continue;
    let gap = e - next;
    while (gap > maxIndex) {
      index[maxIndex]++;
      value[levels]++;
      fillers++;
      gap -= maxIndex + 1;
    }
    index[gap]++;
    let code = scale > 0 ? Math.round(values[e] / scale) : 0;
    if (code > levels) code = levels;
    else if (code < -levels) code = -levels;
    value[code + levels]++;
    kept++;
    next = e + 1;
  }
  counts.kept = kept;
  counts.fillers = fillers;
}

/**
 * Pass 2 for one-element grains. Codes are gathered in a local word of up to 24 bits and handed
 * to the writer when the next would not fit: one `write` per two or three entries.
 */
function writeSingles(
  values: Float32Array,
  mask: Mask,
  q: Quantizer,
  maxIndex: number,
  sink: Sink,
): void {
  const writer = sink.writer;
  const { lengths: indexLengths, codes: indexCodes } = sink.indexCode;
  const { lengths: valueLengths, codes: valueCodes } = sink.valueCode;
  const { scale, levels } = q;
  let word = 0; // pending bits, right-aligned
  let pending = 0; // how many (at most 24)
  let next = 0;
  let valueTotal = 0;
  let indexTotal = 0;
  let fillerTotal = 0;
  for (let e = 0; e < mask.length; e++) {
    if (mask[e] === 0) continue;
    let gap = e - next;
    while (gap > maxIndex) {
      // a filler: index maxIndex, value code 0 (each code at most 24 bits, like the word)
      if (pending + indexLengths[maxIndex] > 24) {
        writer.write(word, pending);
        word = pending = 0;
      }
      word = (word << indexLengths[maxIndex]) | indexCodes[maxIndex];
      pending += indexLengths[maxIndex];
      if (pending + valueLengths[levels] > 24) {
        writer.write(word, pending);
        word = pending = 0;
      }
      word = (word << valueLengths[levels]) | valueCodes[levels];
      pending += valueLengths[levels];
      fillerTotal += indexLengths[maxIndex] + valueLengths[levels];
      gap -= maxIndex + 1;
    }
    let code = scale > 0 ? Math.round(values[e] / scale) : 0;
    if (code > levels) code = levels;
    else if (code < -levels) code = -levels;
    const v = code + levels;
    const indexLength = indexLengths[gap];
    const valueLength = valueLengths[v];
    if (pending + indexLength > 24) {
      writer.write(word, pending);
      word = pending = 0;
    }
    word = (word << indexLength) | indexCodes[gap]; // exact: the word holds at most 24 bits
    pending += indexLength;
    if (pending + valueLength > 24) {
      writer.write(word, pending);
      word = pending = 0;
    }
    word = (word << valueLength) | valueCodes[v];
    pending += valueLength;
    indexTotal += indexLength;
    valueTotal += valueLength;
    next = e + 1;
  }
  if (pending > 0) writer.write(word, pending);
  sink.value = valueTotal;
  sink.index = indexTotal;
  sink.filler = fillerTotal;
}

/**
 * Both passes for general grains (listed with `grains.elementsOf`): counts symbols into `counts`
 * or writes them to `sink`. Checks that every grain is wholly kept or wholly pruned.
 */
function walkGrains(
  layerName: string,
  values: Float32Array,
  mask: Mask,
  grains: Grains,
  q: Quantizer,
  maxIndex: number,
  counts: Counts | undefined,
  sink: Sink | undefined,
): void {
  const buffer = new Int32Array(grains.maxSize);
  const fillerBuffer = new Int32Array(grains.maxSize);
  const levels = q.levels;
  const entry = (symbol: number, filler: boolean, elements: Int32Array, n: number): void => {
    if (counts) {
      counts.index[symbol]++;
      if (filler) {
        counts.fillers++;
        counts.value[levels] += n;
      } else {
        counts.kept++;
        for (let j = 0; j < n; j++) counts.value[q.symbol(values[elements[j]])]++;
      }
      return;
    }
    const { writer, indexCode, valueCode } = sink!;
    const indexLength = indexCode.lengths[symbol];
    writer.write(indexCode.codes[symbol], indexLength);
    let valueLength = 0;
    for (let j = 0; j < n; j++) {
      const v = filler ? levels : q.symbol(values[elements[j]]);
      writer.write(valueCode.codes[v], valueCode.lengths[v]);
      valueLength += valueCode.lengths[v];
    }
    if (filler) sink!.filler += indexLength + valueLength;
    else {
      sink!.index += indexLength;
      sink!.value += valueLength;
    }
  };
  let next = 0;
  for (let g = 0; g < grains.count; g++) {
    const n = grains.elementsOf(g, buffer);
    const keep = mask[buffer[0]] !== 0;
    for (let j = 1; j < n; j++) {
      if ((mask[buffer[j]] !== 0) !== keep) {
        throw new LayerError(
          layerName,
          "mask",
          `grain ${g} is partly kept: keep or prune whole grains (expand a grain mask with expandGrainMask)`,
        );
      }
    }
    if (!keep) continue;
    while (g - next > maxIndex) {
      const standOn = next + maxIndex;
      entry(maxIndex, true, fillerBuffer, grains.elementsOf(standOn, fillerBuffer));
      next = standOn + 1;
    }
    entry(g - next, false, buffer, n);
    next = g + 1;
  }
}

/** Linear symmetric quantisation of the kept weights, computed as core's `quantizeLinear`. */
interface Quantizer {
  /** `2^(bits-1) - 1`: the largest code, and the symbol of code 0. */
  readonly levels: number;
  /** The step between levels (0 when no kept weight is non-zero). */
  readonly scale: number;
  /** The symbol (`code + levels`) of a kept weight. */
  symbol(value: number): number;
  /** Scale and errors over the kept weights. */
  readonly report: QuantizationReport;
}

/**
 * Fits the quantiser of core's `quantizeLinear` (`scale = max|w| / (2^(bits-1) - 1)` rounded to
 * float32, `code = clamp(round(w / scale))`, decoded as float32 `code * scale`) without its two
 * tensor-sized arrays, which matter on 100-million-weight dense layers.
 */
function fitQuantizer(values: Float32Array, mask: Mask, bits: number): Quantizer {
  const levels = 2 ** (bits - 1) - 1;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i] !== 0) {
      const a = Math.abs(values[i]);
      if (a > maxAbs) maxAbs = a;
    }
  }
  const scale = Math.fround(maxAbs / levels);
  const code = (v: number): number =>
    scale > 0 ? Math.max(-levels, Math.min(levels, Math.round(v / scale))) : 0;
  let maxAbsError = 0;
  let sumSquares = 0;
  let kept = 0;
  if (scale > 0) {
    for (let i = 0; i < values.length; i++) {
      if (mask[i] === 0) continue;
      const v = values[i];
      let c = Math.round(v / scale);
      if (c > levels) c = levels;
      else if (c < -levels) c = -levels;
      const error = Math.abs(Math.fround(c * scale) - v);
      if (error > maxAbsError) maxAbsError = error;
      sumSquares += error * error;
      kept++;
    }
  }
  return {
    levels,
    scale,
    symbol: (v: number) => code(v) + levels,
    report: {
      bits,
      scale,
      maxAbsError,
      rmsError: kept > 0 ? Math.sqrt(sumSquares / kept) : 0,
    },
  };
}

/** Fixed-width "codes": every value symbol written as itself in `bits` bits. */
function fixedCode(bits: number, levels: number): Code {
  const size = 2 * levels + 1;
  const lengths = new Uint8Array(size).fill(bits);
  const codes = new Uint32Array(size).map((_, s) => s);
  return { lengths, codes, order: new Int32Array(0) };
}

function decode(name: string, bytes: Uint8Array, grains: Grains): Float32Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new BitstreamError(name, `expected a Uint8Array, found ${typeof bytes}`);
  }
  const reader = new BitReader(bytes, name);
  const magic = reader.read(32);
  if (magic !== MAGIC) {
    throw new BitstreamError(
      name,
      `bad magic 0x${magic.toString(16).padStart(8, "0")}, expected "HFRI"`,
    );
  }
  const version = reader.read(8);
  if (version !== VERSION) {
    throw new BitstreamError(
      name,
      `format version ${version} is not supported (this decoder reads ${VERSION})`,
    );
  }
  const valueBits = reader.read(5);
  const indexBits = reader.read(5);
  const codeValues = reader.read(1) === 1;
  if (valueBits < 2 || valueBits > 16) {
    throw new BitstreamError(name, `value bits ${valueBits} are not 2..16`);
  }
  if (indexBits < 1 || indexBits > 12) {
    throw new BitstreamError(name, `index bits ${indexBits} are not 1..12`);
  }
  const elements = reader.read(32);
  const count = reader.read(32);
  if (elements !== grains.elements || count !== grains.count) {
    throw new BitstreamError(
      name,
      `the stream has ${elements} elements in ${count} grains but the grains passed in have ${grains.elements} in ${grains.count}`,
    );
  }
  const entries = reader.read(32);
  if (entries > count) {
    throw new BitstreamError(name, `${entries} entries exceed the ${count} grains`);
  }
  const scale = floatFromBits(reader.read(32));
  if (!(Number.isFinite(scale) && scale >= 0)) {
    throw new BitstreamError(name, `scale ${scale} is not a finite non-negative number`);
  }
  const zeroSymbol = 2 ** (valueBits - 1) - 1;
  const indexTable = readTable(name, reader, indexBits, 2 ** indexBits, "index");
  const valueTable = codeValues
    ? readTable(name, reader, valueBits, 2 * zeroSymbol + 1, "value")
    : undefined;
  const out = new Float32Array(grains.elements);
  const buffer = new Int32Array(grains.maxSize);
  let next = 0;
  for (let i = 0; i < entries; i++) {
    const g = next + indexTable.read(reader);
    if (g >= count) {
      throw new BitstreamError(
        name,
        `entry ${i} of ${entries} points to grain ${g}, past the last grain ${count - 1}`,
      );
    }
    const n = grains.elementsOf(g, buffer);
    for (let j = 0; j < n; j++) {
      const symbol = valueTable ? valueTable.read(reader) : reader.read(valueBits);
      if (symbol > 2 * zeroSymbol) {
        throw new BitstreamError(
          name,
          `value symbol ${symbol} is out of range for ${valueBits}-bit values`,
        );
      }
      out[buffer[j]] = (symbol - zeroSymbol) * scale;
    }
    next = g + 1;
  }
  const left = reader.remaining;
  if (left >= 8 || (left > 0 && reader.read(left) !== 0)) {
    throw new BitstreamError(
      name,
      `${left} bits follow the last entry, where only zero padding may`,
    );
  }
  return out;
}

/** Huffman code lengths (at most {@link MAX_CODE_LENGTH}) made canonical. */
function canonicalCode(frequency: Float64Array): Code {
  const lengths = huffmanLengths(frequency);
  const present: number[] = [];
  for (let s = 0; s < lengths.length; s++) if (lengths[s] > 0) present.push(s);
  present.sort((a, b) => lengths[a] - lengths[b] || a - b);
  const order = Int32Array.from(present);
  return { lengths, codes: assignCodes(lengths, order), order };
}

/** Canonical codes: symbols in (length, symbol) order get consecutive codes. */
function assignCodes(lengths: Uint8Array, order: Int32Array): Uint32Array {
  const codes = new Uint32Array(lengths.length);
  let code = 0;
  let previous = order.length > 0 ? lengths[order[0]] : 0;
  for (const s of order) {
    code *= 2 ** (lengths[s] - previous);
    previous = lengths[s];
    codes[s] = code++;
  }
  return codes;
}

/**
 * Code lengths of a Huffman code for the symbols of non-zero frequency (two-queue method, ties
 * to leaves and lower symbols, so deterministic). When the longest code exceeds
 * {@link MAX_CODE_LENGTH}, frequencies are halved (rounding up) and the tree rebuilt.
 */
function huffmanLengths(frequency: Float64Array): Uint8Array {
  const lengths = new Uint8Array(frequency.length);
  const symbols: number[] = [];
  for (let s = 0; s < frequency.length; s++) if (frequency[s] > 0) symbols.push(s);
  if (symbols.length === 0) return lengths;
  if (symbols.length === 1) {
    lengths[symbols[0]] = 1;
    return lengths;
  }
  const weights = symbols.map((s) => frequency[s]);
  for (;;) {
    const depth = treeDepths(weights);
    if (Math.max(...depth) <= MAX_CODE_LENGTH) {
      symbols.forEach((s, i) => (lengths[s] = depth[i]));
      return lengths;
    }
    for (let i = 0; i < weights.length; i++) weights[i] = Math.ceil(weights[i] / 2);
  }
}

/** Depth of every leaf in the Huffman tree of `weights` (at least two leaves). */
function treeDepths(weights: readonly number[]): number[] {
  const n = weights.length;
  const leaves = weights.map((_, i) => i).sort((a, b) => weights[a] - weights[b] || a - b);
  const nodeWeight = new Float64Array(2 * n - 1);
  const parent = new Int32Array(2 * n - 1);
  weights.forEach((w, i) => (nodeWeight[i] = w));
  let leaf = 0; // next leaf in `leaves`
  let inner = n; // next internal node to take
  let made = n; // next internal node to create
  const take = (): number => {
    if (leaf < n && (inner >= made || nodeWeight[leaves[leaf]] <= nodeWeight[inner])) {
      return leaves[leaf++];
    }
    return inner++;
  };
  while (made < 2 * n - 1) {
    const a = take();
    const b = take();
    nodeWeight[made] = nodeWeight[a] + nodeWeight[b];
    parent[a] = made;
    parent[b] = made;
    made++;
  }
  const depth = new Int32Array(2 * n - 1); // root (the last node) has depth 0
  for (let node = 2 * n - 3; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
  return Array.from(depth.subarray(0, n));
}

function writeTable(writer: BitWriter, code: Code, symbolBits: number): void {
  writer.write(code.order.length, symbolBits + 1);
  for (const s of code.order) {
    writer.write(s, symbolBits);
    writer.write(code.lengths[s], 5);
  }
}

/** A table read from the stream, ready to decode symbols. */
interface Table {
  read(reader: BitReader): number;
}

function readTable(
  name: string,
  reader: BitReader,
  symbolBits: number,
  alphabet: number,
  what: string,
): Table {
  const n = reader.read(symbolBits + 1);
  if (n > alphabet) {
    throw new BitstreamError(
      name,
      `the ${what} table lists ${n} symbols, more than the ${alphabet} possible`,
    );
  }
  const symbols = new Int32Array(n);
  const lengths = new Uint8Array(n);
  const seen = new Uint8Array(alphabet);
  let kraft = 0; // sum of 2^(MAX - length): at most 2^MAX for a prefix code
  for (let i = 0; i < n; i++) {
    const s = reader.read(symbolBits);
    const length = reader.read(5);
    if (s >= alphabet || seen[s]) {
      throw new BitstreamError(name, `the ${what} table has a bad or repeated symbol ${s}`);
    }
    if (length < 1 || length > MAX_CODE_LENGTH) {
      throw new BitstreamError(
        name,
        `the ${what} table gives symbol ${s} a code of ${length} bits`,
      );
    }
    if (i > 0 && (length < lengths[i - 1] || (length === lengths[i - 1] && s < symbols[i - 1]))) {
      throw new BitstreamError(
        name,
        `the ${what} table is not in canonical (length, symbol) order`,
      );
    }
    seen[s] = 1;
    symbols[i] = s;
    lengths[i] = length;
    kraft += 2 ** (MAX_CODE_LENGTH - length);
  }
  if (kraft > 2 ** MAX_CODE_LENGTH) {
    throw new BitstreamError(name, `the ${what} code lengths do not form a prefix code`);
  }
  // canonical decoding: per length, the first code and the position of its symbol
  const countOf = new Int32Array(MAX_CODE_LENGTH + 1);
  for (const length of lengths) countOf[length]++;
  const firstCode = new Float64Array(MAX_CODE_LENGTH + 1);
  const firstIndex = new Int32Array(MAX_CODE_LENGTH + 1);
  let code = 0;
  let index = 0;
  for (let length = 1; length <= MAX_CODE_LENGTH; length++) {
    code = (code + (length > 1 ? countOf[length - 1] : 0)) * (length > 1 ? 2 : 1);
    firstCode[length] = code;
    firstIndex[length] = index;
    index += countOf[length];
  }
  const longest = n > 0 ? lengths[n - 1] : 0;
  return {
    read(r: BitReader): number {
      let value = 0;
      for (let length = 1; length <= longest; length++) {
        value = value * 2 + r.read(1);
        const offset = value - firstCode[length];
        if (offset < countOf[length]) return symbols[firstIndex[length] + offset];
      }
      throw new BitstreamError(name, `no ${what} code matches the bits at position ${r.position}`);
    },
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function floatBits(x: number): number {
  f32[0] = x;
  return u32[0];
}

function floatFromBits(bits: number): number {
  u32[0] = bits;
  return f32[0];
}

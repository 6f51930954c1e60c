import { blockGrains, expandGrainMask } from "@sparsegrain/core";
import type { EncodedLayer, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { CHUNK, compactKept, maskWords, scanForEncoding } from "./_grain_order.ts";
import type { GrainOrder } from "./_grain_order.ts";
import { MAX_FAST_BITS, orBits } from "./_kept_values.ts";
import { scatterValues } from "./_memory_order.ts";
import type { BlockWalk } from "./_memory_order.ts";
import { BitSink, HEADER_BYTES, sealStream } from "./_stream.ts";
import { errorReport, NEAR, quantiser, quantMagnitude, rawBits, ValueCoder } from "./_values.ts";
import type { Quantiser } from "./_values.ts";

/** Registry name of the relative-index encoder. */
export const RELATIVE_INDEX = "relative-index";
/** Magic of its streams. */
export const RELATIVE_INDEX_MAGIC = "SGRI";

/**
 * Which writer {@link encodeRelativeIndex} uses. All give identical bytes (tests compare them):
 *
 * - `"fast"`: the quickest applicable one below (the default).
 * - `"memory-order"`: block grains with values up to 16 bits: every kept grain's bit offset is
 *   computed first, then the tensor is read in memory order and each kept value stored at its
 *   offset (see _memory_order.ts). Elsewhere it falls back as `"fast"` does.
 * - `"grain-order"`: grains in grain order, each grain's elements gathered one by one, with
 *   inlined quantisation and bit packing (values up to 16 bits; element grains always use it).
 * - `"general"`: the reference, through {@link BitSink} and {@link ValueCoder} (32-bit values).
 */
export type RelativeIndexPath = "fast" | "memory-order" | "grain-order" | "general";

/**
 * Encodes a layer in the relative-index format (see relative_index.ts for the format) with the
 * writer `path` ({@link RelativeIndexPath}).
 */
export function encodeRelativeIndex(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  valueBits: number,
  indexBits: number,
  path: RelativeIndexPath = "fast",
): EncodedLayer {
  if (!warm) warmUp();
  const { order, scan, scale } = scanForEncoding(layer, mask, grains, valueBits);
  const { flags, keptGrains, keptElements, keptIndex } = scan;
  // The writers count fillers as they go, into a buffer sized for the most fillers possible
  // (every 2^indexBits pruned grains), then trim: one pass fewer than sizing exactly first.
  const mostFillers = Math.floor((grains.count - keptGrains) / 2 ** indexBits);
  const capacityBits = keptElements * valueBits + keptGrains * indexBits +
    mostFillers * (indexBits + grains.maxSize * valueBits);
  const capacity = HEADER_BYTES + Math.ceil(capacityBits / 8);
  const written = path === "general" || valueBits > 16 ||
      (order.identity && valueBits + indexBits > 16)
    ? writeGeneral(layer, grains, flags, capacity, scale, valueBits, indexBits)
    : order.identity
    ? writeElementsFast(layer.values, flags, keptIndex, capacity, scale, valueBits, indexBits)
    : path !== "grain-order" && order.walk !== undefined && capacity * 8 <= MAX_FAST_BITS
    ? writeBlocksInMemoryOrder(
      layer.values,
      grains,
      order.walk,
      keptIndex!,
      capacity,
      scale,
      valueBits,
      indexBits,
    )
    : writeBlocksFast(layer.values, grains, order, flags, capacity, scale, valueBits, indexBits);
  const { fillers } = written;
  const valueTotal = keptElements * valueBits;
  const indexTotal = keptGrains * indexBits;
  const fillerTotal = fillers * indexBits + written.fillerElements * valueBits;
  const payload = valueTotal + indexTotal + fillerTotal;
  const padding = (8 - (payload % 8)) % 8;
  if (written.bytes.length !== HEADER_BYTES + (payload + padding) / 8) {
    throw new Error(`Internal encoder fault: ${written.bytes.length} bytes for ${payload} bits`);
  }
  return sealStream(written.bytes, grains, {
    encoder: RELATIVE_INDEX,
    magic: RELATIVE_INDEX_MAGIC,
    layer: layer.name,
    valueBits,
    indexBits,
    auxBits: 0,
    count2: fillers,
    keptGrains,
    fillers,
    bits: { value: valueTotal, index: indexTotal, filler: fillerTotal, padding },
    quantization: written.quantization,
  });
}

interface Written {
  readonly bytes: Uint8Array;
  readonly fillers: number;
  readonly fillerElements: number;
  readonly quantization: EncodedLayer["quantization"];
}

/** The reference writer: `grains.elementsOf` for every grain, one `BitSink.put` per field. */
function writeGeneral(
  layer: LayerWeights,
  grains: Grains,
  flags: Uint8Array,
  capacity: number,
  scale: number,
  valueBits: number,
  indexBits: number,
): Written {
  const values = layer.values;
  const raw = rawBits(values);
  const coder = new ValueCoder(valueBits, scale);
  const sink = new BitSink(capacity, HEADER_BYTES);
  const maxGap = 2 ** indexBits - 1;
  const buffer = new Int32Array(grains.maxSize);
  let gap = 0;
  let fillers = 0;
  let fillerElements = 0;
  for (let g = 0; g < grains.count; g++) {
    if (flags[g] === 0) {
      gap++;
      continue;
    }
    while (gap > maxGap) {
      sink.put(maxGap, indexBits);
      const size = grains.elementsOf(g - gap + maxGap, buffer);
      for (let k = 0; k < size; k++) sink.putWide(0, valueBits);
      gap -= maxGap + 1;
      fillers++;
      fillerElements += size;
    }
    sink.put(gap, indexBits);
    gap = 0;
    const n = grains.elementsOf(g, buffer);
    for (let k = 0; k < n; k++) {
      const e = buffer[k];
      sink.putWide(coder.word(values[e], raw[e]), valueBits);
    }
  }
  return { bytes: sink.finish(false), fillers, fillerElements, quantization: coder.report() };
}

// The fast writers (value widths up to 16 bits) inline quantisation and MSB-first bit packing
// on local variables. Every field goes through the same packing step:
//   acc = (acc << bits) | field; nb += bits;
//   if (nb >= 16) { nb -= 16; write the two bytes above the nb pending bits }
// `acc` keeps only its low 32 bits, enough: fewer than 16 bits are pending between fields of
// at most 16 bits. They must give the same bytes as writeGeneral (tests compare them).

/**
 * Fast writer for element-wise grains when an entry (index and value) fits in 16 bits. Kept
 * elements come chunk by chunk from {@link compactKept}, so no branch depends on the mask; each
 * chunk is written by {@link writeElementChunk}, a function of its own so that V8 optimises it
 * as a whole instead of compiling (and leaving) one inner loop on the fly.
 */
function writeElementsFast(
  values: Float32Array,
  mask: Uint8Array,
  keptIndex: Int32Array | undefined,
  capacity: number,
  scale: number,
  valueBits: number,
  indexBits: number,
): Written {
  const bytes = new Uint8Array(capacity + 3); // 3 bytes of slack for the branch-free stores
  const state = startState();
  const errors = new Float64Array(2); // largest error, sum of squared errors
  const raw = rawBits(values);
  const q = scale > 0 ? quantiser(scale, valueBits) : undefined;
  if (keptIndex !== undefined) {
    for (let start = 0; start < keptIndex.length; start += CHUNK) {
      const chunk = keptIndex.subarray(start, Math.min(keptIndex.length, start + CHUNK));
      const k = chunk.length;
      writeElementChunk(values, raw, chunk, k, bytes, state, errors, q, valueBits, indexBits);
    }
  } else {
    const n = mask.length;
    const index = new Int32Array(CHUNK);
    const words = maskWords(mask);
    for (let start = 0; start < n; start += CHUNK) {
      const k = compactKept(words, start, Math.min(n, start + CHUNK), index);
      writeElementChunk(values, raw, index, k, bytes, state, errors, q, valueBits, indexBits);
    }
  }
  state[FILLER_ELEMENTS] = state[FILLERS]; // a filler of element grains stands on one element
  return finishChunks(bytes, state, errors, scale, valueBits);
}

/** Stands for the dequantisation table when nothing is quantised (scale 0). */
const NO_TABLE = new Float64Array(1);

// Slots of the writer state carried from chunk to chunk.
const POS = 0;
const ACC = 1;
const NB = 2;
const PREVIOUS = 3;
const FILLERS = 4;
const COUNT = 5;
const FILLER_ELEMENTS = 6;
const STATE_SIZE = 7;

/** The state of a chunk writer before its first chunk: at the first byte after the header. */
function startState(): Int32Array {
  const state = new Int32Array(STATE_SIZE);
  state[POS] = HEADER_BYTES;
  state[PREVIOUS] = -1;
  return state;
}

/**
 * What a chunk writer wrote, from its `state` and `errors` (largest error, sum of squared
 * errors) after the last chunk: the stream with its pending bits flushed, and its counts.
 */
function finishChunks(
  bytes: Uint8Array,
  state: Int32Array,
  errors: Float64Array,
  scale: number,
  valueBits: number,
): Written {
  return {
    bytes: flush(bytes, state[POS], state[ACC], state[NB]),
    fillers: state[FILLERS],
    fillerElements: state[FILLER_ELEMENTS],
    quantization: errorReport(valueBits, scale, errors[0], errors[1], state[COUNT]),
  };
}

/**
 * Writes the entries of the kept elements `index[0..k)`. Bytes are flushed without branches:
 * fewer than 8 bits stay pending between entries, three bytes are always stored at `pos`, and
 * `pos` advances past the complete ones (stores it does not keep are overwritten later, or
 * trimmed); the last filler of a gap is emitted without a branch too, in the same accumulator
 * step as the entry when both fit.
 */
function writeElementChunk(
  values: Float32Array,
  raw: Uint32Array,
  index: Int32Array,
  k: number,
  bytes: Uint8Array,
  state: Int32Array,
  errors: Float64Array,
  q: Quantiser | undefined,
  valueBits: number,
  indexBits: number,
): void {
  const shift = valueBits - 1;
  const quantised = q !== undefined;
  const scale = q?.scale ?? 0;
  const inverse = q?.inverse ?? 0;
  const levels = q?.levels ?? 0;
  const dequantised = q?.dequantised ?? NO_TABLE;
  const entryBits = indexBits + valueBits;
  const fillerEntry = (2 ** indexBits - 1) << valueBits; // index max, value 0
  let pos = state[POS];
  let acc = state[ACC];
  let nb = state[NB];
  let previous = state[PREVIOUS];
  let fillers = state[FILLERS];
  let maxErr = errors[0];
  let sumSq = errors[1];
  let count = state[COUNT];
  const together = entryBits <= 12; // a filler and an entry fit in 24 bits
  for (let j = 0; j < k; j++) {
    const e = index[j];
    let gap = e - previous - 1;
    previous = e;
    // fillers: a gap of g costs floor(g / 2^indexBits); all but one in the loop (rarely run),
    // the last one without a branch, with the entry when both fit in the accumulator
    const f = gap >>> indexBits;
    gap -= f << indexBits;
    fillers += f;
    const one = -f >>> 31; // 1 when there is a filler
    for (let extra = f - one; extra > 0; extra--) {
      acc = (acc << entryBits) | fillerEntry;
      nb += entryBits;
      bytes[pos] = acc >>> (nb - 8);
      bytes[pos + 1] = acc >>> (nb - 16);
      pos += nb >>> 3;
      nb &= 7;
    }
    let value = 0;
    if (quantised) {
      const v = values[e];
      const abs = Math.abs(v);
      // the Quantiser's magnitude: multiply, exact quantMagnitude near a rounding boundary
      const y = abs * inverse + 0.5;
      let mag = y | 0;
      const fraction = y - mag;
      if (fraction < NEAR || fraction > 1 - NEAR) mag = quantMagnitude(abs, v < 0, scale, levels);
      const code = mag > levels ? levels : mag;
      const err = Math.abs(dequantised[code] - abs);
      if (err > maxErr) maxErr = err;
      sumSq += err * err;
      count++;
      value = code | ((raw[e] >>> 31) << shift);
    }
    const fillerBits = entryBits & -one;
    const entry = (gap << valueBits) | value;
    if (together) {
      acc = (acc << (fillerBits + entryBits)) | ((fillerEntry & -one) << entryBits) | entry;
      nb += fillerBits + entryBits;
    } else {
      acc = (acc << fillerBits) | (fillerEntry & -one);
      nb += fillerBits;
      bytes[pos] = acc >>> (nb - 8);
      bytes[pos + 1] = acc >>> (nb - 16);
      pos += nb >>> 3;
      nb &= 7;
      acc = (acc << entryBits) | entry;
      nb += entryBits;
    }
    // at most 31 bits pending: store 3 bytes, keep those complete (stores past them are
    // rewritten later)
    bytes[pos] = acc >>> (nb - 8);
    bytes[pos + 1] = acc >>> (nb - 16);
    bytes[pos + 2] = acc >>> (nb - 24);
    pos += nb >>> 3;
    nb &= 7;
  }
  state[POS] = pos;
  state[ACC] = acc;
  state[NB] = nb;
  state[PREVIOUS] = previous;
  state[FILLERS] = fillers;
  errors[0] = maxErr;
  errors[1] = sumSq;
  state[COUNT] = count;
}

/**
 * Fast writer for block grains: kept grains come chunk by chunk from {@link compactKept} over
 * the grain flags, and each chunk is written by {@link writeBlockChunk} (a function of its own,
 * so that V8 optimises it whole).
 */
function writeBlocksFast(
  values: Float32Array,
  grains: Grains,
  order: GrainOrder,
  flags: Uint8Array,
  capacity: number,
  scale: number,
  valueBits: number,
  indexBits: number,
): Written {
  const bytes = new Uint8Array(capacity + 2); // 2 bytes of slack for the branch-free stores
  const state = startState();
  const errors = new Float64Array(2);
  const raw = rawBits(values);
  const index = new Int32Array(CHUNK);
  const buffer = new Int32Array(grains.maxSize);
  const words = maskWords(flags);
  for (let start = 0; start < flags.length; start += CHUNK) {
    const k = compactKept(words, start, Math.min(flags.length, start + CHUNK), index);
    writeBlockChunk(
      values,
      raw,
      grains,
      order,
      index,
      k,
      buffer,
      bytes,
      state,
      errors,
      scale,
      valueBits,
      indexBits,
    );
  }
  return finishChunks(bytes, state, errors, scale, valueBits);
}

/** Writes the entries of the kept grains `index[0..k)`, with branch-free byte flushes. */
function writeBlockChunk(
  values: Float32Array,
  raw: Uint32Array,
  grains: Grains,
  order: GrainOrder,
  index: Int32Array,
  k: number,
  buffer: Int32Array,
  bytes: Uint8Array,
  state: Int32Array,
  errors: Float64Array,
  scale: number,
  valueBits: number,
  indexBits: number,
): void {
  const maxGap = 2 ** indexBits - 1;
  const levels = 2 ** (valueBits - 1) - 1;
  const shift = valueBits - 1;
  const quantised = scale > 0;
  const base = order.base!;
  const rel = order.rel;
  const sizes = order.sizes;
  const full = grains.maxSize;
  let pos = state[POS];
  let acc = state[ACC];
  let nb = state[NB];
  let previous = state[PREVIOUS];
  let fillers = state[FILLERS];
  let fillerElements = state[FILLER_ELEMENTS];
  let count = state[COUNT];
  let maxErr = errors[0];
  let sumSq = errors[1];
  let flushed = 0;
  for (let j = 0; j < k; j++) {
    const g = index[j];
    let gap = g - previous - 1;
    previous = g;
    while (gap > maxGap) {
      // filler: index maxGap, then zero values for the pruned grain it stands on
      const size = sizes === undefined ? full : sizes[g - gap + maxGap];
      acc = (acc << indexBits) | maxGap;
      nb += indexBits;
      flushed = nb >>> 4;
      bytes[pos] = acc >>> (nb - 8);
      bytes[pos + 1] = acc >>> (nb - 16);
      pos += flushed << 1;
      nb -= flushed << 4;
      for (let s = 0; s < size; s++) {
        acc <<= valueBits;
        nb += valueBits;
        flushed = nb >>> 4;
        bytes[pos] = acc >>> (nb - 8);
        bytes[pos + 1] = acc >>> (nb - 16);
        pos += flushed << 1;
        nb -= flushed << 4;
      }
      gap -= maxGap + 1;
      fillers++;
      fillerElements += size;
    }
    acc = (acc << indexBits) | gap;
    nb += indexBits;
    flushed = nb >>> 4;
    bytes[pos] = acc >>> (nb - 8);
    bytes[pos + 1] = acc >>> (nb - 16);
    pos += flushed << 1;
    nb -= flushed << 4;
    const start = base[g];
    const n = start >= 0 ? full : grains.elementsOf(g, buffer);
    for (let kk = 0; kk < n; kk++) {
      let value = 0;
      if (quantised) {
        const e = start >= 0 ? start + rel[kk] : buffer[kk];
        const v = values[e];
        const abs = Math.abs(v);
        // quantMagnitude(abs, v < 0, scale, levels), inlined
        const x = abs / scale;
        let mag = Math.floor(x + 0.5);
        if (mag - x >= 0.5 && (v < 0 || x < 0.5)) mag -= 1;
        const code = mag > levels ? levels : mag | 0;
        const err = Math.abs(Math.fround(code * scale) - abs);
        if (err > maxErr) maxErr = err;
        sumSq += err * err;
        count++;
        value = code | ((raw[e] >>> 31) << shift);
      }
      acc = (acc << valueBits) | value;
      nb += valueBits;
      flushed = nb >>> 4;
      bytes[pos] = acc >>> (nb - 8);
      bytes[pos + 1] = acc >>> (nb - 16);
      pos += flushed << 1;
      nb -= flushed << 4;
    }
  }
  state[POS] = pos;
  state[ACC] = acc;
  state[NB] = nb;
  state[PREVIOUS] = previous;
  state[FILLERS] = fillers;
  state[FILLER_ELEMENTS] = fillerElements;
  state[COUNT] = count;
  errors[0] = maxErr;
  errors[1] = sumSq;
}

/**
 * Memory-order writer for block grains (values up to 16 bits, stream under 2^31 bits): the
 * entry heads (fillers and indices) are written and every kept grain's value offset recorded in
 * grain order ({@link writeEntryHeads}), then {@link scatterValues} reads the tensor row by row
 * and stores each kept value at its grain's offset plus its position times `valueBits`. Filler
 * values are zero: the buffer starts zeroed, so they cost no writes.
 */
function writeBlocksInMemoryOrder(
  values: Float32Array,
  grains: Grains,
  walk: BlockWalk,
  kept: Int32Array,
  capacity: number,
  scale: number,
  valueBits: number,
  indexBits: number,
): Written {
  const bytes = new Uint8Array(capacity + 2); // 2 bytes of slack for the 3-byte stores
  const offsets = new Int32Array(kept.length);
  const heads = writeEntryHeads(
    kept,
    walk.sizes,
    grains.maxSize,
    offsets,
    bytes,
    valueBits,
    indexBits,
  );
  const errors = new Float64Array(3);
  scatterValues(values, rawBits(values), kept, walk, offsets, bytes, scale, valueBits, errors);
  const length = Math.ceil(heads.end / 8);
  return {
    bytes: length === bytes.length ? bytes : bytes.slice(0, length),
    fillers: heads.fillers,
    fillerElements: heads.fillerElements,
    quantization: errorReport(valueBits, scale, errors[0], errors[1], errors[2]),
  };
}

/**
 * ORs into `bytes`, from bit `HEADER_BYTES * 8` on, the head of every entry of the kept grains
 * `kept`: the filler entries before it (index `2^indexBits - 1`; their zero values need no
 * write) and its own index; records in `offsets[j]` the bit where the values of `kept[j]` start.
 * Returns the bit after the last entry and the filler counts.
 */
function writeEntryHeads(
  kept: Int32Array,
  sizes: Int32Array | undefined,
  full: number,
  offsets: Int32Array,
  bytes: Uint8Array,
  valueBits: number,
  indexBits: number,
): { end: number; fillers: number; fillerElements: number } {
  const maxGap = 2 ** indexBits - 1;
  const top = 24 - indexBits;
  let bit = HEADER_BYTES * 8;
  let previous = -1;
  let fillers = 0;
  let fillerElements = 0;
  for (let j = 0; j < kept.length; j++) {
    const g = kept[j];
    let gap = g - previous - 1;
    previous = g;
    while (gap > maxGap) {
      const size = sizes === undefined ? full : sizes[g - gap + maxGap];
      orBits(bytes, bit, maxGap, indexBits);
      bit += indexBits + size * valueBits;
      gap -= maxGap + 1;
      fillers++;
      fillerElements += size;
    }
    // orBits(bytes, bit, gap, indexBits), inlined
    const field = gap << (top - (bit & 7));
    const at = bit >>> 3;
    bytes[at] |= field >>> 16;
    bytes[at + 1] |= field >>> 8;
    bytes[at + 2] |= field;
    bit += indexBits;
    offsets[j] = bit;
    bit += (sizes === undefined ? full : sizes[g]) * valueBits;
  }
  return { end: bit, fillers, fillerElements };
}

/** Writes the pending bits zero-padded to a whole byte; returns the stream trimmed to length. */
function flush(bytes: Uint8Array, pos: number, acc: number, nb: number): Uint8Array {
  if (nb >= 8) {
    nb -= 8;
    bytes[pos++] = acc >>> nb;
  }
  if (nb > 0) bytes[pos++] = acc << (8 - nb);
  return pos === bytes.length ? bytes : bytes.slice(0, pos);
}

let warm = false;

/**
 * Runs the encoder once on tiny layers that take every branch of the fast writers. V8 compiles
 * a long-running loop on the fly (on-stack replacement) with the type feedback gathered so far;
 * code it has never run (fillers, the end of the function) then deoptimises, and V8 keeps
 * reusing that OSR code, so a first call on a large layer would fall back to the interpreter on
 * every later call too. A few microseconds of warm-up give every site its feedback first.
 */
function warmUp(): void {
  warm = true;
  const shapes: number[][] = [[1, 1, 7, 9], [3, 3, 2, 5], [2, 3, 2, 8]];
  for (const shape of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n).map((_, i) => ((i * 7919) % 13) / 13 - 0.5);
    const layer: LayerWeights = { name: "warm-up", kind: "conv2d", shape, values };
    for (const block of [[1, 1, 1, 1], [2, 2, 1, 2], [1, shape[1], 1, 1]]) {
      const grains = blockGrainsFor(shape, block);
      const flags = new Uint8Array(grains.count);
      for (let g = 0; g < flags.length; g += g < 2 ? 1 : 20) flags[g] = 1;
      const mask = expandGrainMask(flags, grains);
      for (const [valueBits, indexBits] of [[8, 4], [16, 4], [4, 1]]) {
        encodeRelativeIndex(layer, mask, grains, valueBits, indexBits);
        encodeRelativeIndex(layer, mask, grains, valueBits, indexBits, "grain-order");
        encodeRelativeIndex(layer, mask.subarray(0), grains, valueBits, indexBits);
        const zero = { ...layer, values: new Float32Array(n) };
        encodeRelativeIndex(zero, mask, grains, valueBits, indexBits);
      }
    }
  }
}

function blockGrainsFor(shape: number[], block: number[]): Grains {
  return blockGrains(shape, block.map((b, i) => Math.min(b, shape[i])));
}

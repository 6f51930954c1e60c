/**
 * An example accelerator-model plugin: a **Cambricon-X**-style weight-sparse accelerator (Zhang
 * et al., "Cambricon-X: An Accelerator for Sparse Neural Networks", MICRO 2016). Unlike SCNN it
 * exploits only *weight* sparsity: weights are stored compressed with step indices, an indexing
 * module uses the indices to pick out the input activations that face kept weights, and zero
 * activations are fetched and multiplied like any other (the activation density changes nothing).
 *
 * ## The machine (defaults from the paper)
 *
 * `pes` = 16 processing elements, each with `multipliersPerPe` = 16 multipliers feeding an adder
 * tree. The PEs work on 16 output neurons (output channels at one output position, or 16 output
 * neurons of a dense layer) at once, in lock step: PE `o` needs `ceil(nnz(o) / 16)` cycles for its
 * `nnz(o)` kept weights, and the group of 16 waits for the slowest (load imbalance). Weights are
 * 16-bit fixed point, activations 16-bit; the step index width is a parameter (4 bits by default,
 * as PAPER.md's storage model; a gap longer than the index can express costs a filler weight).
 *
 * ## What is counted (closed form from per-filter counts, no enumeration of products)
 *
 * With `P` output positions (`outputHeight * outputWidth`, 1 for dense layers), filter `o` the
 * weights feeding output channel `o` (`W[:, :, :, o]`; `W[:, :, c, m]` in a depthwise layer, whose
 * output channel is `c * multiplier + m`; a column of a dense layer) and `nnz(o)` its kept weights:
 *
 * | count | value |
 * |---|---|
 * | `macs` | `P * weights` |
 * | `products` | `P * sum nnz(o)`: every kept weight meets every activation, zero or not |
 * | `cycles` | `P * sum over groups of 16 channels of max ceil(nnz(o) / multipliersPerPe)` |
 * | `references.weight`, `.index` | one 16-bit weight and one step index read per product |
 * | `references.inputActivation` | `P * sum over groups` of the input neurons that face a kept weight in at least one filter of the group (the indexing module reads each once per group and output position) |
 * | `references.accumulatorRead`, `.accumulatorWrite` | `P * sum ceil(nnz(o) / multipliersPerPe)`: one read-modify-write of the output's partial sum per adder-tree result |
 * | `references.outputWrite` | `P * output channels` |
 * | `dramBytes` | compressed weights `(kept + fillers) * (weightBits + indexBits) / 8`, plus every input activation read once and every output written once (`activationBits` each): on-chip buffers are assumed large enough for one pass |
 *
 * Energy uses the 45 nm figures of Horowitz (ISSCC 2014) quoted in PAPER.md, in pJ: a product
 * costs an integer multiply (3.1) and an add (0.1) in the adder tree; an accumulator access a
 * register-file access (1); an on-chip buffer access 5 per 32 bits (scaled by the width read:
 * 16-bit weights and activations 2.5, 4-bit indices 0.625); DRAM 640 per 32 bits (160 per byte).
 * The 32-bit multiply and add figures are used as they are for the 16-bit datapath, a documented
 * simplification. Cycles count compute only (DRAM bandwidth is not modelled).
 *
 * Grains are not needed by this design (it indexes single weights), but sparsity that lines up
 * across the 16 filters of a group (pruned kernels or input channels) still pays: fewer input
 * neurons are selected. Whole pruned filters pay through the load balance.
 *
 * @module
 */
import { ConfigError, LayerError } from "@sparsegrain/core";
import type {
  AcceleratorModel,
  ActivationDensity,
  Grains,
  LayerCost,
  LayerWeights,
  Mask,
  MemoryRefKind,
} from "@sparsegrain/core";

/** Energy per operation in picojoules. */
export interface CambriconXEnergy {
  /** One multiplication. @default {3.1} */
  readonly multiply: number;
  /** One addition in the adder tree. @default {0.1} */
  readonly add: number;
  /** One accumulator (register file) access. @default {1} */
  readonly register: number;
  /** One 32-bit on-chip buffer (SRAM) access. @default {5} */
  readonly sram32: number;
  /** One 32-bit DRAM access. @default {640} */
  readonly dram32: number;
}

/** The 45 nm figures of Horowitz (ISSCC 2014), as quoted in PAPER.md. */
export const HOROWITZ_45NM: CambriconXEnergy = {
  multiply: 3.1,
  add: 0.1,
  register: 1,
  sram32: 5,
  dram32: 640,
};

/** Options of {@link cambriconXAccelerator}. */
export interface CambriconXOptions {
  /** Processing elements, each computing one output neuron at a time. @default {16} */
  readonly pes?: number;
  /** Multipliers (and adder-tree inputs) per PE. @default {16} */
  readonly multipliersPerPe?: number;
  /** Bits per stored weight. @default {16} */
  readonly weightBits?: number;
  /** Bits per activation. @default {16} */
  readonly activationBits?: number;
  /** Bits per step index; longer gaps cost filler weights. @default {4} */
  readonly indexBits?: number;
  /** Energy per operation (pJ); missing entries take {@link HOROWITZ_45NM}. */
  readonly energy?: Partial<CambriconXEnergy>;
  /** Registry name. @default {"cambricon-x"} */
  readonly name?: string;
}

/**
 * Builds the Cambricon-X-style accelerator model: weight sparsity skipped through step indices,
 * activation sparsity not exploited; counts products, cycles (with the lock-step load imbalance of
 * 16 PEs), memory references by kind, DRAM bytes and energy.
 *
 * @param options machine size, widths, energy table and registry name
 * @returns the accelerator model
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cambriconXAccelerator } from "./cambricon_x_accelerator.ts";
 * const layer = { name: "fc", kind: "dense" as const, shape: [32, 16], values: new Float32Array(512).fill(1) };
 * const mask = new Uint8Array(512).fill(1);
 * const grains = { count: 512, elements: 512, maxSize: 1,
 *   elementsOf: (g: number, out: Int32Array) => ((out[0] = g), 1), elementGrain: () => new Int32Array(512).map((_, i) => i) };
 * const cost = cambriconXAccelerator().evaluate(layer, mask, grains, { input: 0.3 });
 * // 16 neurons of 32 weights on 16 PEs x 16 multipliers: 2 cycles, every multiplier busy
 * assert(cost.products === 512 && cost.cycles === 2 && cost.utilisation === 1);
 * ```
 */
export function cambriconXAccelerator(options: CambriconXOptions = {}): AcceleratorModel {
  const name = options.name ?? "cambricon-x";
  const pes = whole(name, "pes", options.pes, 1, 4096, 16);
  const lanes = whole(name, "multipliersPerPe", options.multipliersPerPe, 1, 4096, 16);
  const weightBits = whole(name, "weightBits", options.weightBits, 1, 32, 16);
  const activationBits = whole(name, "activationBits", options.activationBits, 1, 32, 16);
  const indexBits = whole(name, "indexBits", options.indexBits, 1, 16, 4);
  const energy: CambriconXEnergy = { ...HOROWITZ_45NM, ...options.energy };
  for (const [key, value] of Object.entries(energy)) {
    if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(
        `${name}.energy.${key}`,
        `found ${JSON.stringify(value)}: use a number of picojoules >= 0`,
      );
    }
  }
  const widths = { weightBits, activationBits, indexBits };
  return {
    name,
    version: "1.0.0",
    options: { pes, multipliersPerPe: lanes, ...widths, energy },
    describe: () =>
      `Cambricon-X-style weight-sparse accelerator: ${pes} PEs x ${lanes} multipliers in lock step, ${weightBits}-bit weights with ${indexBits}-bit step indices, zero activations not skipped`,
    evaluate: (layer: LayerWeights, mask: Mask, _grains: Grains, _activation: ActivationDensity) =>
      evaluate(name, layer, mask, pes, lanes, widths, energy),
  };
}

/** The default instance, registered as `"cambricon-x"` when this file is named under `plugins:`. */
export const cambriconX: AcceleratorModel = cambriconXAccelerator();

function whole(
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

/** How a layer's weights map onto output channels and input neurons. */
interface Layout {
  /** Entries of one row: the output channels (weights of a row share an input position). */
  readonly channels: number;
  /** Rows: weights per filter. */
  readonly rows: number;
  /** Output channels that share one set of input channels (per conv group). */
  readonly groupChannels: number;
  /** Output positions. */
  readonly positions: number;
  /** Input activations of the layer (read once from DRAM). */
  readonly inputs: number;
}

function layoutOf(layer: LayerWeights): Layout {
  const { shape, geometry } = layer;
  const positions = geometry ? geometry.outputHeight * geometry.outputWidth : 1;
  const inputArea = geometry ? geometry.inputHeight * geometry.inputWidth : 0;
  if (layer.kind === "dense" && shape.length === 2) {
    return {
      channels: shape[1],
      rows: shape[0],
      groupChannels: shape[1],
      positions: 1,
      inputs: shape[0],
    };
  }
  if (shape.length !== 4) {
    throw new LayerError(
      layer.name,
      "shape",
      `a ${layer.kind} layer needs rank 4, found [${shape}]: pass the weights in tfjs layout`,
    );
  }
  const [kh, kw, cin, last] = shape;
  if (layer.kind === "depthwise") {
    // [kh, kw, cin, m] is a grouped conv with cin groups of m outputs each: rows are (h, w)
    return {
      channels: cin * last,
      rows: kh * kw,
      groupChannels: last,
      positions,
      inputs: geometry ? inputArea * cin : kh * kw * cin,
    };
  }
  const groups = geometry?.groups ?? 1;
  if (!Number.isInteger(last / groups)) {
    throw new LayerError(
      layer.name,
      "geometry",
      `${last} output channels do not split into ${groups} groups: fix the layer's groups`,
    );
  }
  return {
    channels: last,
    rows: kh * kw * cin,
    groupChannels: last / groups,
    positions,
    inputs: geometry ? inputArea * cin * groups : kh * kw * cin * groups,
  };
}

function evaluate(
  accelerator: string,
  layer: LayerWeights,
  mask: Mask,
  pes: number,
  lanes: number,
  widths: { weightBits: number; activationBits: number; indexBits: number },
  energyTable: CambriconXEnergy,
): LayerCost {
  const layout = layoutOf(layer);
  const { channels, rows, groupChannels, positions } = layout;
  if (!(mask instanceof Uint8Array) || mask.length !== channels * rows) {
    throw new LayerError(
      layer.name,
      "mask",
      `expected a Uint8Array of ${
        channels * rows
      } entries: pass a keep mask over the layer's weights`,
    );
  }
  const nnz = new Int32Array(channels);
  const lastKept = new Int32Array(channels).fill(-1);
  const span = 2 ** widths.indexBits; // a gap of g zeros costs floor(g / span) fillers
  let fillers = 0;
  let selected = 0; // (row, PE group, conv group) segments with a kept weight
  for (let r = 0; r < rows; r++) {
    const base = r * channels;
    let start = 0;
    while (start < channels) {
      // one segment: the channels of one PE group inside one conv group
      const end = Math.min(
        channels,
        (Math.floor(start / pes) + 1) * pes,
        (Math.floor(start / groupChannels) + 1) * groupChannels,
      );
      let any = false;
      for (let o = start; o < end; o++) {
        if (mask[base + o] === 0) continue;
        any = true;
        nnz[o]++;
        fillers += Math.floor((r - lastKept[o] - 1) / span);
        lastKept[o] = r;
      }
      if (any) selected++;
      start = end;
    }
  }
  let kept = 0;
  let chunks = 0; // adder-tree results: sum of ceil(nnz / lanes)
  let lockStep = 0; // per position: sum over PE groups of the slowest PE
  for (let g = 0; g < channels; g += pes) {
    let slowest = 0;
    for (let o = g; o < Math.min(channels, g + pes); o++) {
      const c = Math.ceil(nnz[o] / lanes);
      kept += nnz[o];
      chunks += c;
      if (c > slowest) slowest = c;
    }
    lockStep += slowest;
  }
  const products = positions * kept;
  const cycles = positions * lockStep;
  const references: Record<MemoryRefKind, number> = {
    weight: products,
    index: products,
    inputActivation: positions * selected,
    accumulatorRead: positions * chunks,
    accumulatorWrite: positions * chunks,
    outputWrite: positions * channels,
  };
  const { weightBits, activationBits, indexBits } = widths;
  const dramBytes = ((kept + fillers) * (weightBits + indexBits)) / 8 +
    ((layout.inputs + positions * channels) * activationBits) / 8;
  const sram = (count: number, bits: number) => count * energyTable.sram32 * (bits / 32);
  const energy: Record<string, number> = {
    multiply: products * energyTable.multiply,
    add: products * energyTable.add,
    accumulator: (references.accumulatorRead + references.accumulatorWrite) *
      energyTable.register,
    weight: sram(references.weight, weightBits),
    index: sram(references.index, indexBits),
    inputActivation: sram(references.inputActivation, activationBits),
    outputWrite: sram(references.outputWrite, activationBits),
    dram: (dramBytes / 4) * energyTable.dram32,
  };
  let totalEnergy = 0;
  for (const value of Object.values(energy)) totalEnergy += value;
  return {
    layer: layer.name,
    accelerator,
    macs: positions * channels * rows,
    products,
    cycles,
    utilisation: cycles > 0 ? products / (cycles * pes * lanes) : 0,
    references,
    dramBytes,
    energy,
    totalEnergy,
  };
}

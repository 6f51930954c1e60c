import { LayerError } from "@sparsegrain/core";
import type { ActivationDensity } from "@sparsegrain/core";
import { expectedVectors } from "./_binomial.ts";
import type { Plan } from "./_plan.ts";
import type { Tallies } from "./_tally.ts";
import type { HwLayerCost } from "./hw_layer_cost.ts";

/** Which machine turns the tallies into costs. */
export type Flavour = "scnn" | "dense" | "dense-opt";

/** Per-input-channel activation densities, validated. */
export function channelDensities(plan: Plan, activation: ActivationDensity): Float64Array {
  const p = plan.problem;
  if (typeof activation !== "object" || activation === null) {
    throw new LayerError(
      p.name,
      "activation",
      `found ${JSON.stringify(activation)}: pass { input: fraction of non-zero inputs }`,
    );
  }
  const input = activation.input;
  if (typeof input !== "number" || !(input >= 0 && input <= 1)) {
    throw new LayerError(
      p.name,
      "activation.input",
      `found ${JSON.stringify(input)}: give the fraction of non-zero input activations, in [0, 1]`,
    );
  }
  const out = new Float64Array(p.inputChannels);
  const per = activation.perChannel;
  if (per === undefined) {
    out.fill(input);
    return out;
  }
  if (!(per instanceof Float32Array) || per.length !== p.inputChannels) {
    throw new LayerError(
      p.name,
      "activation.perChannel",
      `expected ${p.inputChannels} densities (one per input channel), found ${
        per instanceof Float32Array ? per.length : typeof per
      }: pass a Float32Array of length ${p.inputChannels} or leave it out`,
    );
  }
  for (let c = 0; c < per.length; c++) {
    const d = per[c];
    if (!(d >= 0 && d <= 1)) {
      throw new LayerError(
        p.name,
        "activation.perChannel",
        `channel ${c} has density ${d}: every density must be in [0, 1]`,
      );
    }
    out[c] = d;
  }
  return out;
}

/**
 * Turns integer tallies into a layer cost: applies the activation densities (expected values,
 * see docs/hw-models.md), counts cycles per barrier unit and PE tile, memory references, DRAM
 * traffic and energy.
 *
 * `mask` holds the tallies of the real mask; `machine` the tallies of what the hardware streams
 * (the same object for SCNN; the dense tallies for the dense machines).
 */
export function finishCost(
  plan: Plan,
  flavour: Flavour,
  name: string,
  mask: Tallies,
  machine: Tallies,
  density: Float64Array,
  inputDensity: number,
): HwLayerCost {
  const p = plan.problem;
  const m = plan.machine;
  const F = m.weightsPerCycle, I = m.activationsPerCycle;
  const skipsActivations = flavour === "scnn";
  const { peAreas, peCounts } = plan;
  const types = peAreas.length;
  const maxArea = types > 0 ? peAreas[types - 1] : 0;

  // Activation vectors a PE of each tile area fetches per stream, memoised by density.
  const memo = new Map<number, Float64Array>();
  const vectorsFor = (d: number): Float64Array => {
    let v = memo.get(d);
    if (v === undefined) {
      v = new Float64Array(types);
      for (let t = 0; t < types; t++) {
        v[t] = skipsActivations ? expectedVectors(peAreas[t], d, I) : Math.ceil(peAreas[t] / I);
      }
      memo.set(d, v);
    }
    return v;
  };

  let weightRefs = 0, indexRefs = 0, activationRefs = 0;
  let weightBits = 0, fillers = 0, streamedEntries = 0, issued = 0;
  const unitLoad = new Float64Array(plan.units * types);
  for (let st = 0; st < plan.streams; st++) {
    const n = machine.entries[st];
    if (n === 0) continue;
    const ci = plan.streamChannel[st];
    const d = density[ci];
    const vectors = vectorsFor(d);
    let passes = 0;
    for (let t = 0; t < types; t++) passes += peCounts[t] * vectors[t];
    weightRefs += n * passes;
    indexRefs += machine.indexEntries[st] * passes;
    activationRefs += (skipsActivations ? d : 1) * plan.planeArea;
    const weightVectors = Math.ceil(n / F);
    const base = plan.streamUnit[st] * types;
    for (let t = 0; t < types; t++) unitLoad[base + t] += weightVectors * vectors[t];
    const bits = n * m.weightBits + machine.indexEntries[st] * m.indexBits;
    const refetch = n > m.weightFifoEntries ? Math.max(1, vectors[types - 1] ?? 0) : 1;
    weightBits += bits * refetch;
    fillers += machine.fillers[st];
    streamedEntries += n;
    issued += (n - machine.fillers[st]) * plan.planeArea *
      (skipsActivations ? d : 1);
  }
  let cycles = 0;
  for (let u = 0; u < plan.units; u++) {
    let worst = 0;
    for (let t = 0; t < types; t++) worst = Math.max(worst, unitLoad[u * types + t]);
    cycles += worst;
  }

  // products: effective multiplies; adds: accumulations performed; entries: accumulator entries
  // moved by product updates; accesses: the same after merging.
  let products = 0, adds = 0, entries = 0, accesses = 0, gated = 0;
  for (let ci = 0; ci < p.inputChannels; ci++) {
    const d = density[ci];
    if (flavour === "dense") {
      products += machine.products[ci];
      adds += machine.accumulations[ci];
      entries += machine.accumulations[ci];
      accesses += machine.accesses[ci];
    } else if (flavour === "dense-opt") {
      products += d * mask.products[ci];
      adds += d * mask.products[ci];
      entries += machine.accumulations[ci];
      accesses += machine.accesses[ci];
      gated += d * mask.kept[ci] * plan.planeArea;
    } else {
      products += d * mask.products[ci];
      adds += d * mask.accumulations[ci];
      entries += d * mask.accumulations[ci];
      accesses += d * mask.accesses[ci];
    }
  }
  if (flavour === "dense-opt") issued = gated;

  const live = machine.liveOutputs;
  const drainReads = live * (plan.footprintSum + plan.halo);
  const drainWrites = live * plan.halo;
  const outputWrites = live * p.P * p.Q;
  const references = {
    weight: weightRefs,
    index: indexRefs,
    inputActivation: activationRefs,
    accumulatorRead: accesses + drainReads,
    accumulatorWrite: accesses + drainWrites,
    outputWrite: outputWrites,
  };

  // DRAM: the weight stream once (again per pass when it overflows the FIFO); activations only
  // when a PE's tile does not fit its RAM.
  const compressedOnChip = flavour === "scnn";
  const compressedInDram = flavour !== "dense";
  let bitsPerPosition = 0, dramBitsPerPosition = 0;
  for (let ci = 0; ci < p.inputChannels; ci++) {
    const dense = m.activationBits;
    const packed = density[ci] * (m.activationBits + m.indexBits);
    bitsPerPosition += compressedOnChip ? packed : dense;
    dramBitsPerPosition += compressedInDram ? packed : dense;
  }
  const inputSpills = maxArea * bitsPerPosition > m.inputRamBytes * 8;
  const outDensity = m.outputDensity ?? inputDensity;
  const outBits = compressedOnChip
    ? outDensity * (m.activationBits + m.indexBits)
    : m.activationBits;
  const outDramBits = compressedInDram
    ? outDensity * (m.activationBits + m.indexBits)
    : m.activationBits;
  const outputSpills = plan.footprintMax * live * outBits > m.outputRamBytes * 8;
  const dramBytes = (weightBits + (inputSpills ? p.H * p.W * dramBitsPerPosition : 0) +
    (outputSpills ? outputWrites * outDramBits : 0)) / 8;

  const e = m.energy;
  const mult = m.arithmetic === "int" ? e.intMult : e.floatMult;
  const add = m.arithmetic === "int" ? e.intAdd : e.floatAdd;
  const activationReadBits = compressedOnChip ? m.activationBits + m.indexBits : m.activationBits;
  const energy = {
    multiply: issued * mult,
    add: adds * add,
    weight: weightRefs * m.weightBits / 32 * e.registerFile,
    index: indexRefs * m.indexBits / 32 * e.registerFile,
    inputActivation: activationRefs * activationReadBits / 32 * e.sram,
    accumulatorRead: (entries + drainReads) * m.accumulatorBits / 32 * e.sram,
    accumulatorWrite: (entries + drainWrites) * m.accumulatorBits / 32 * e.sram,
    outputWrite: outputWrites * m.activationBits / 32 * e.sram,
    dram: dramBytes * 8 / 32 * e.dram,
  };
  let totalEnergy = 0;
  for (const v of Object.values(energy)) totalEnergy += v;
  const multipliers = F * I * m.peRows * m.peCols;
  return {
    layer: p.name,
    accelerator: name,
    macs: p.macs,
    products,
    cycles,
    utilisation: cycles > 0 ? products / (cycles * multipliers) : 0,
    references,
    dramBytes,
    energy,
    totalEnergy,
    issuedProducts: issued,
    accumulations: adds,
    weightEntries: streamedEntries,
    fillers,
    kc: plan.kc,
    liveOutputs: live,
  };
}

import assert from "node:assert/strict";
import { blockGrains, expandGrainMask, seededRandom } from "@sparsegrain/core";
import type { ActivationDensity, Grains, LayerWeights } from "@sparsegrain/core";
import { channelDensities, finishCost } from "./_finish.ts";
import { resolveMachine } from "./_machine.ts";
import type { Machine } from "./_machine.ts";
import { blockOf, buildPlan } from "./_plan.ts";
import { normalizeProblem } from "./_problem.ts";
import { simulate } from "./_reference_simulator.ts";
import { tallyDense, tallyMask } from "./_tally.ts";
import type { Tallies } from "./_tally.ts";
import { scnnModel } from "./scnn.ts";
import { denseModel, denseOptModel } from "./dense.ts";
import type { AcceleratorOptions } from "./accelerator_options.ts";

type Rand = () => number;
const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

function randomLayer(rand: Rand, index: number): LayerWeights {
  const kind = pick(rand, ["conv2d", "conv2d", "conv2d", "depthwise", "dense"] as const);
  if (kind === "dense") {
    const shape = [int(rand, 1, 12), int(rand, 1, 9)];
    const positions = rand() < 0.3 ? int(rand, 2, 3) : 0;
    return {
      name: `fc${index}`,
      kind,
      shape,
      values: new Float32Array(shape[0] * shape[1]),
      geometry: positions === 0 ? undefined : {
        inputHeight: positions,
        inputWidth: 1,
        outputHeight: positions,
        outputWidth: 1,
        strides: [1, 1],
        dilation: [1, 1],
        padding: "valid",
        groups: 1,
      },
    };
  }
  const R = int(rand, 1, 3), S = int(rand, 1, 4);
  const groups = kind === "conv2d" ? pick(rand, [1, 1, 2, 3]) : 1;
  const A3 = int(rand, 1, 3);
  const A4 = kind === "conv2d" ? groups * int(rand, 1, 3) : int(rand, 1, 3);
  const strides: [number, number] = [int(rand, 1, 3), int(rand, 1, 2)];
  const dilation: [number, number] = [int(rand, 1, 2), int(rand, 1, 2)];
  const H = int(rand, 1, 8), W = int(rand, 1, 8);
  let padding: "same" | "valid" = pick(rand, ["same", "valid"] as const);
  if ((R - 1) * dilation[0] + 1 > H || (S - 1) * dilation[1] + 1 > W) padding = "same";
  return conv(`${kind}${index}`, [R, S, A3, A4], {
    size: [H, W],
    strides,
    dilation,
    padding,
    kind,
    groups,
  });
}

/** Where and how {@link conv} applies its filter. */
interface ConvOptions {
  /** Input height and width. */
  size: [number, number];
  /** @default {[1, 1]} */
  strides?: [number, number];
  /** @default {[1, 1]} */
  dilation?: [number, number];
  padding: "same" | "valid";
  /** @default {"conv2d"} */
  kind?: "conv2d" | "depthwise";
  /** Groups of a conv2d (a depthwise conv has one per input channel). @default {1} */
  groups?: number;
}

/** A zero-valued conv layer of `shape` with the output size its geometry gives. */
function conv(name: string, shape: number[], options: ConvOptions): LayerWeights {
  const { size, strides = [1, 1], dilation = [1, 1], padding, kind = "conv2d" } = options;
  const out = (n: number, k: number, s: number, d: number) =>
    padding === "same" ? Math.ceil(n / s) : Math.ceil((n - (k - 1) * d) / s);
  return {
    name,
    kind,
    shape,
    values: new Float32Array(shape.reduce((a, b) => a * b, 1)),
    geometry: {
      inputHeight: size[0],
      inputWidth: size[1],
      outputHeight: out(size[0], shape[0], strides[0], dilation[0]),
      outputWidth: out(size[1], shape[1], strides[1], dilation[1]),
      strides,
      dilation,
      padding,
      groups: kind === "depthwise" ? shape[2] : options.groups ?? 1,
    },
  };
}

/** The four granularities of the study plus odd blocks and a grain partition without a block. */
function granularities(layer: LayerWeights): [string, Grains][] {
  const shape = layer.shape;
  if (layer.kind === "dense") {
    const [i, o] = shape;
    return [
      ["0-D", blockGrains(shape, [1, 1])],
      ["3-D neuron", blockGrains(shape, [i, 1])],
      ["odd", blockGrains(shape, [Math.min(3, i), Math.min(2, o)])],
    ];
  }
  const [R, S, A3, A4] = shape;
  const element = blockGrains(shape, [1, 1, 1, 1]);
  const noBlock: Grains = {
    count: element.count,
    elements: element.elements,
    maxSize: 1,
    elementsOf: element.elementsOf,
    elementGrain: element.elementGrain,
  };
  return [
    ["0-D", element],
    ["1-D row", blockGrains(shape, [1, S, 1, 1])],
    ["2-D kernel", blockGrains(shape, [R, S, 1, 1])],
    ["3-D filter", blockGrains(shape, [R, S, A3, 1])],
    ["odd", blockGrains(shape, [Math.min(2, R), 1, 1, Math.min(2, A4)])],
    ["column", blockGrains(shape, [R, 1, 1, 1])],
    ["no block", noBlock],
  ];
}

function randomMask(rand: Rand, grains: Grains): Uint8Array {
  const style = rand();
  if (style < 0.15) {
    // Ignores the grains: partly kept fragments.
    const density = rand();
    return Uint8Array.from({ length: grains.elements }, () => (rand() < density ? 1 : 0));
  }
  const density = style < 0.25 ? 1 : rand();
  const keep = Uint8Array.from({ length: grains.count }, () => (rand() < density ? 1 : 0));
  return expandGrainMask(keep, grains);
}

function randomOptions(rand: Rand): AcceleratorOptions {
  return {
    peRows: int(rand, 1, 4),
    peCols: int(rand, 1, 4),
    weightsPerCycle: int(rand, 1, 4),
    activationsPerCycle: int(rand, 1, 4),
    accumulatorBanks: 4,
    accumulatorBankEntries: 64,
    kc: rand() < 0.5 ? "auto" : int(rand, 1, 3),
    weightFifoEntries: int(rand, 2, 30),
    indexBits: int(rand, 1, 3),
    merge: pick(rand, ["none", "rows", "kernels", "auto"] as const),
    accumulatorPortWidth: int(rand, 1, 5),
    countPadding: rand() < 0.6,
  };
}

function randomActivation(rand: Rand, channels: number): ActivationDensity {
  // Dyadic densities keep every product of a density and an integer tally exact.
  const input = int(rand, 0, 8) / 8;
  if (rand() < 0.5) return { input };
  return {
    input,
    perChannel: Float32Array.from({ length: channels }, () => int(rand, 0, 16) / 16),
  };
}

function plain(t: Tallies): Record<string, number | number[]> {
  return Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, typeof v === "number" ? v : [...v]]),
  );
}

/** Checks one case: tallies, geometry and whole costs of the three models against the simulator. */
function checkCase(
  layer: LayerWeights,
  label: string,
  grains: Grains,
  mask: Uint8Array,
  options: AcceleratorOptions,
  activation: ActivationDensity,
): void {
  const problem = normalizeProblem(layer);
  let used = options;
  let machine: Machine = resolveMachine(used, "scnn");
  let plan;
  try {
    plan = buildPlan(problem, machine, blockOf(problem, layer.shape, grains));
  } catch {
    // A fixed kc that does not fit this layer's footprint: fall back to "auto".
    used = { ...options, kc: "auto" };
    machine = resolveMachine(used, "scnn");
    plan = buildPlan(problem, machine, blockOf(problem, layer.shape, grains));
  }
  const where = `${layer.name} ${JSON.stringify(layer.shape)} ${
    JSON.stringify(layer.geometry)
  } at ${label}, options ${JSON.stringify(used)}, mask ${mask.join("")}`;
  const closed = tallyMask(plan, mask);
  const sim = simulate(layer, mask, grains, machine, plan.kc);
  assert.deepEqual(plain(closed), plain(sim.tallies), where);
  assert.deepEqual(
    {
      peAreas: [...plan.peAreas],
      peCounts: [...plan.peCounts],
      planeArea: plan.planeArea,
      footprintSum: plan.footprintSum,
      footprintMax: plan.footprintMax,
      halo: plan.halo,
    },
    sim.geometry,
    where,
  );
  // The whole cost: the model's closed form against the simulator's tallies.
  const density = channelDensities(plan, activation);
  const cost = scnnModel(used).evaluate(layer, mask, grains, activation);
  assert.deepEqual(
    cost,
    finishCost(plan, "scnn", "scnn", sim.tallies, sim.tallies, density, activation.input),
    where,
  );
  assert.ok(cost.utilisation <= 1 + 1e-12, `${where}: utilisation ${cost.utilisation}`);

  // The dense machine streams everything: its tallies equal the simulator's on all weights.
  const densePlan = buildPlan(problem, machine, [problem.R, problem.S, 1, 1]);
  const denseSim = simulate(layer, mask, grains, machine, densePlan.kc, true);
  assert.deepEqual(plain(tallyDense(densePlan)), plain(denseSim.tallies), `dense: ${where}`);
  // dense-opt gates zero operands: its work is the simulator's on the kept elements
  const elements = blockGrains(layer.shape, layer.shape.map(() => 1));
  const elementSim = simulate(layer, mask, elements, machine, densePlan.kc);
  for (
    const [name, model, work] of [
      ["dense", denseModel, denseSim.tallies],
      ["dense-opt", denseOptModel, elementSim.tallies],
    ] as const
  ) {
    assert.deepEqual(
      model(used).evaluate(layer, mask, grains, activation),
      finishCost(densePlan, name, name, work, denseSim.tallies, density, activation.input),
      `${name}: ${where}`,
    );
  }
}

Deno.test("closed form equals the enumerating simulator on random small layers at every granularity", () => {
  const rand = seededRandom(20170524);
  let checked = 0, coarse = 0;
  for (let i = 0; i < 64; i++) {
    const layer = randomLayer(rand, i);
    for (const [label, grains] of granularities(layer)) {
      const options = randomOptions(rand);
      const mask = randomMask(rand, grains);
      const activation = randomActivation(rand, normalizeProblem(layer).inputChannels);
      checkCase(layer, label, grains, mask, options, activation);
      checked++;
      if (label !== "0-D" && label !== "no block") coarse++;
    }
  }
  assert.ok(checked >= 300 && coarse >= 200, `checked ${checked} cases, ${coarse} coarse`);
});

Deno.test("closed form equals the simulator on dilated windows, long rows and unaligned masks", () => {
  const rand = seededRandom(7);
  const layers: LayerWeights[] = [
    conv("dilated", [3, 3, 2, 4], { size: [10, 10], dilation: [2, 2], padding: "same" }),
    conv("dilated-valid", [3, 2, 2, 3], {
      size: [9, 7],
      strides: [1, 2],
      dilation: [2, 1],
      padding: "valid",
    }),
    conv("strided", [3, 3, 1, 2], { size: [9, 9], strides: [2, 2], padding: "same" }),
    conv("pointwise", [1, 1, 3, 32], { size: [3, 3], padding: "same" }),
    conv("depthwise", [3, 3, 4, 8], { size: [6, 6], padding: "same", kind: "depthwise" }),
    conv("wide", [3, 3, 1, 528], { size: [2, 2], padding: "same" }),
    { name: "fc", kind: "dense", shape: [6, 64], values: new Float32Array(384) },
    { name: "fc-odd", kind: "dense", shape: [5, 37], values: new Float32Array(185) },
  ];
  let checked = 0;
  for (const layer of layers) {
    for (const [label, grains] of granularities(layer)) {
      for (const merge of ["none", "rows", "kernels", "auto"] as const) {
        for (const indexBits of [1, 2]) {
          const density = [0.05, 0.3, 0.8][checked % 3];
          const keep = Uint8Array.from({ length: grains.count }, () => (rand() < density ? 1 : 0));
          let mask = expandGrainMask(keep, grains);
          if (checked % 4 === 1) {
            // A view that starts off a 4-byte boundary takes the byte-wise path.
            const buffer = new Uint8Array(mask.length + 1);
            buffer.set(mask, 1);
            mask = buffer.subarray(1);
          }
          const options: AcceleratorOptions = {
            peRows: 2,
            peCols: 3,
            accumulatorBanks: 8,
            accumulatorBankEntries: 64,
            kc: checked % 2 === 0 ? "auto" : 3,
            merge,
            indexBits,
            accumulatorPortWidth: 1 + (checked % 4),
            countPadding: checked % 3 !== 0,
          };
          checkCase(layer, label, grains, mask, options, { input: 0.625 });
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 300);
});

/**
 * Puts the accelerator models beside the published claims (docs/hw-models.md, "Against the
 * papers"). Prints markdown tables on stdout.
 *
 *   deno run -A packages/hw-models/scripts/compare_paper.ts
 *
 * Weights are seeded He-normal (ImageNet weights cannot be downloaded here), so masks are
 * per-layer L1 top-k on random weights: they have the right per-layer densities and grain
 * structure, but not the spatial structure trained weights would give. Weight densities are
 * Han et al. 2015's per-layer figures; input activation densities are AlexNet's measured output
 * densities of the previous layer (the image is dense). VGG-16 has no measured figures in
 * PAPER.md: its stage k takes AlexNet conv k's output density (conv1_1 sees the image).
 */
import { blockGrains, heNormalWeights, pruneLayers, reduceGrains } from "@sparsegrain/core";
import type { Granularity, LayerCost, LayerWeights, Mask, SaliencyMetric } from "@sparsegrain/core";
import { denseModel, denseOptModel, scnnModel } from "../mod.ts";
import type { AcceleratorOptions, HwAcceleratorModel } from "../mod.ts";
import { zooLayers } from "../testdata/zoo_layers.ts";

type Level = "0-D" | "1-D" | "2-D" | "3-D";
const LEVELS: readonly Level[] = ["0-D", "1-D", "2-D", "3-D"];

// PAPER.md: Han et al. 2015 densities (percent kept) and AlexNet's non-zero activations (percent,
// per layer output).
const HAN: Record<string, number> = {
  conv1: 84,
  conv2: 38,
  conv3: 35,
  conv4: 37,
  conv5: 37,
  conv1_1: 58,
  conv1_2: 22,
  conv2_1: 34,
  conv2_2: 36,
  conv3_1: 53,
  conv3_2: 24,
  conv3_3: 42,
  conv4_1: 32,
  conv4_2: 27,
  conv4_3: 34,
  conv5_1: 35,
  conv5_2: 29,
  conv5_3: 36,
};
const ALEXNET_OUTPUT_ACT = [88, 52, 37, 40, 34];

function inputDensity(name: string): number {
  const alex = /^conv(\d)$/.exec(name);
  if (alex) return alex[1] === "1" ? 1 : ALEXNET_OUTPUT_ACT[Number(alex[1]) - 2] / 100;
  if (name === "conv1_1") return 1;
  return ALEXNET_OUTPUT_ACT[Number(name[4]) - 1] / 100;
}

const blockOf = (shape: readonly number[], level: Level): number[] =>
  level === "0-D"
    ? [1, 1, 1, 1]
    : level === "1-D"
    ? [1, shape[1], 1, 1]
    : level === "2-D"
    ? [shape[0], shape[1], 1, 1]
    : [shape[0], shape[1], shape[2], 1];

const l1: SaliencyMetric = {
  name: "l1",
  version: "1.0.0",
  describe: () => "L1 norm",
  score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
};

interface Pruned {
  readonly layer: LayerWeights;
  readonly masks: Record<Level, Mask>;
}

function convLayers(
  model: "alexnet" | "vgg16",
  density?: number,
  levels: readonly Level[] = LEVELS,
): Pruned[] {
  return zooLayers(model).filter((z) => z.kind === "conv2d").map((z, i) => {
    const layer: LayerWeights = {
      name: z.name,
      kind: z.kind,
      shape: z.shape,
      values: heNormalWeights(z.shape, 1000 + i),
      geometry: z.geometry,
    };
    const masks = {} as Record<Level, Mask>;
    for (const level of levels) {
      const granularity: Granularity = {
        name: level,
        version: "1.0.0",
        describe: () => level,
        partition: (l) => blockGrains(l.shape, blockOf(l.shape, level)),
      };
      masks[level] = pruneLayers([layer], {
        granularity,
        saliency: l1,
        density: density ?? HAN[z.name] / 100,
      })[0].mask;
    }
    return { layer, masks };
  });
}

function total(
  model: HwAcceleratorModel,
  layers: Pruned[],
  level: Level,
  activation?: number,
): LayerCost[] {
  return layers.map(({ layer, masks }) =>
    model.evaluate(
      layer,
      masks[level],
      blockGrains(layer.shape, blockOf(layer.shape, level)),
      { input: activation ?? inputDensity(layer.name) },
    )
  );
}

const sum = (costs: LayerCost[], f: (c: LayerCost) => number) =>
  costs.reduce((a, c) => a + f(c), 0);
const refs = (c: LayerCost) => Object.values(c.references).reduce((a, b) => a + b, 0);
const fmt = (x: number, digits = 2) => x.toFixed(digits);
const millions = (x: number) => (x / 1e6).toFixed(1);

// 1. Mao et al.: memory references of coarse vs fine grains at equal density.
console.log("## Memory references at the Han 2015 densities (conv layers)\n");
for (const model of ["alexnet", "vgg16"] as const) {
  const layers = convLayers(model);
  for (
    const [label, options] of [
      ["defaults (merge auto, 4-entry port)", {}],
      ["merge none", { merge: "none" }],
      ["merge auto, 16-entry port", { accumulatorPortWidth: 16 }],
    ] as [string, AcceleratorOptions][]
  ) {
    console.log(`### ${model}, ${label}\n`);
    console.log(
      "| grain | weight | index | input act. | acc. read | acc. write | output write | total (M) | vs 0-D | saving |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    const scnn = scnnModel(options);
    let fine = 0;
    for (const level of LEVELS) {
      const costs = total(scnn, layers, level);
      const t = sum(costs, refs);
      if (level === "0-D") fine = t;
      const kinds = [
        "weight",
        "index",
        "inputActivation",
        "accumulatorRead",
        "accumulatorWrite",
        "outputWrite",
      ] as const;
      console.log(
        `| ${level} | ${
          kinds.map((k) => millions(sum(costs, (c) => c.references[k]))).join(" | ")
        } | ${millions(t)} | ${fmt(t / fine)} | ${fmt((1 - t / fine) * 100, 0)}% |`,
      );
    }
    console.log();
  }
}

// 2. SCNN's claims against DCNN, fine-grained (0-D) weights as in SCNN.
console.log("## SCNN against the dense baselines (conv layers, 0-D masks)\n");
console.log(
  "| network | densities | speed-up vs dense | energy dense/scnn | energy dense-opt/scnn | scnn utilisation |",
);
console.log("|---|---|---|---|---|---|");
for (const model of ["alexnet", "vgg16"] as const) {
  const layers = convLayers(model, undefined, ["0-D"]);
  const scnn = total(scnnModel(), layers, "0-D");
  const dense = total(denseModel(), layers, "0-D");
  const opt = total(denseOptModel(), layers, "0-D");
  const cycles = (c: LayerCost[]) => sum(c, (x) => x.cycles);
  const energy = (c: LayerCost[]) => sum(c, (x) => x.totalEnergy);
  console.log(
    `| ${model} | Han 2015 / AlexNet act. | ${fmt(cycles(dense) / cycles(scnn))}x | ${
      fmt(energy(dense) / energy(scnn))
    }x | ${fmt(energy(opt) / energy(scnn))}x | ${
      fmt(
        sum(scnn, (x) => x.products) / sum(scnn, (x) =>
          x.products / Math.max(x.utilisation, 1e-12)) *
          100,
        0,
      )
    }% |`,
  );
}
console.log();

// 3. Weight density = activation density sweep on VGG-16 conv layers (SCNN's Figure-style sweep).
console.log(
  "## Uniform density sweep, VGG-16 conv layers, 0-D masks (weights and activations at d)\n",
);
console.log("| d | scnn perf / dense | scnn energy / dense | scnn energy / dense-opt |");
console.log("|---|---|---|---|");
let previous: { d: number; perf: number; energy: number } | undefined;
const breakEven: string[] = [];
for (const d of [1, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]) {
  const layers = convLayers("vgg16", d, ["0-D"]);
  const scnn = total(scnnModel(), layers, "0-D", d);
  const dense = total(denseModel(), layers, "0-D", d);
  const opt = total(denseOptModel(), layers, "0-D", d);
  const perf = sum(dense, (c) => c.cycles) / sum(scnn, (c) => c.cycles);
  const energy = sum(scnn, (c) => c.totalEnergy) / sum(dense, (c) => c.totalEnergy);
  console.log(
    `| ${d} | ${fmt(perf)} | ${fmt(energy)} | ${
      fmt(sum(scnn, (c) => c.totalEnergy) / sum(opt, (c) => c.totalEnergy))
    } |`,
  );
  if (previous && previous.perf < 1 && perf >= 1) {
    breakEven.push(`performance between ${previous.d} and ${d}`);
  }
  if (previous && previous.energy > 1 && energy <= 1) {
    breakEven.push(`energy between ${previous.d} and ${d}`);
  }
  previous = { d, perf, energy };
}
console.log(`\nBreak-even: ${breakEven.join("; ") || "none in the sweep"}`);

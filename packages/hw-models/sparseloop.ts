import { stringify } from "yaml";
import type { ActivationDensity, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { channelDensities } from "./_finish.ts";
import { resolveMachine } from "./_machine.ts";
import { blockOf, buildPlan } from "./_plan.ts";
import { normalizeProblem } from "./_problem.ts";
import { tallyMask } from "./_tally.ts";

/** Options of {@link sparseloopYaml}. */
export interface SparseloopOptions {
  /** Storage level that holds the compressed weights. @default "DRAM" */
  readonly target?: string;
  /** Bits per zero-run index of the weight format. @default 4 */
  readonly indexBits?: number;
}

type Rank = Record<string, unknown>;

/**
 * Exports one layer as a Timeloop/Sparseloop-style (v0.4) problem and sparse-optimisation spec,
 * for a second opinion from Sparseloop: the problem shape (`CNN-Layer`, with a `G` dimension for
 * grouped and depthwise convolutions; Timeloop names kernel width R, height S, output width P,
 * height Q), the weight and input densities (the weight density measured from the real mask,
 * declared `fixed_structured`; the input density `hypergeometric`), and the weight format our
 * models assume for the grain shape: per input channel, a zero-run (RLE) coded list of grain
 * fragments with one index each, the values of a fragment stored densely. Sparseloop sees only
 * these statistics, not the mask itself.
 *
 * @param layer the layer (conv geometry required for conv and depthwise layers)
 * @param mask keep mask over the layer's elements
 * @param grains the grains the mask was selected by
 * @param activation input activation density
 * @param options target storage level and index width
 * @returns the YAML text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { sparseloopYaml } from "@sparsegrain/hw-models";
 * const fc = { name: "fc", kind: "dense" as const, shape: [8, 4], values: new Float32Array(32) };
 * const mask = new Uint8Array(32).fill(1, 0, 8);
 * const yaml = sparseloopYaml(fc, mask, blockGrains([8, 4], [1, 1]), { input: 0.5 });
 * assert(yaml.includes("density: 0.25"));
 * ```
 */
export function sparseloopYaml(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  activation: ActivationDensity,
  options: SparseloopOptions = {},
): string {
  // One weight stream per input channel holding all its output channels.
  const machine = resolveMachine(
    {
      indexBits: options.indexBits ?? 4,
      peRows: 1,
      peCols: 1,
      accumulatorBanks: 1,
      accumulatorBankEntries: 2 ** 31,
    },
    "sparseloop",
  );
  const p = normalizeProblem(layer);
  const block = blockOf(p, layer.shape, grains);
  const plan = buildPlan(p, machine, block);
  channelDensities(plan, activation);
  const tallies = tallyMask(plan, mask);
  let kept = 0, fragments = 0;
  for (const k of tallies.kept) kept += k;
  for (let st = 0; st < plan.streams; st++) {
    fragments += tallies.indexEntries[st] - tallies.fillers[st];
  }
  const grouped = p.groups > 1;
  const perGroupOut = p.kind === "depthwise" ? p.A4 : p.A4 / p.groups;
  const dims = grouped
    ? ["G", "C", "M", "R", "S", "N", "P", "Q"]
    : ["C", "M", "R", "S", "N", "P", "Q"];
  const g = grouped ? [[["G"]]] : [];
  const instance: Record<string, unknown> = {
    ...(grouped ? { G: p.groups } : {}),
    C: p.kind === "depthwise" ? 1 : p.A3,
    M: perGroupOut,
    R: p.S,
    S: p.R,
    N: 1,
    P: p.Q,
    Q: p.P,
    Wstride: p.strideW,
    Hstride: p.strideH,
    Wdilation: p.dilationW,
    Hdilation: p.dilationH,
    densities: {
      Weights: { distribution: "fixed_structured", density: kept / p.elements },
      Inputs: { distribution: "hypergeometric", density: activation.input },
    },
  };
  const [br, bs, , bk] = block;
  const whole = (extent: number, full: number) => extent === full && full > 1;
  let ranks: Rank[];
  let format: string;
  const rle = (ids: string[]): Rank => ({
    format: "RLE",
    metadata_word_bits: machine.indexBits,
    flattened_rank_ids: [ids],
  });
  const dense = (ids: string[]): Rank => ({
    format: "UOP",
    payload_word_bits: 0,
    flattened_rank_ids: [ids],
  });
  const channel: Rank = { format: "UOP", flattened_rank_ids: [grouped ? ["G", "C"] : ["C"]] };
  if (bk === 1 && whole(br, p.R) && whole(bs, p.S)) {
    format = "one zero-run index per kernel (2-D grain fragment)";
    ranks = [channel, rle(["M"]), dense(["S", "R"])];
  } else if (bk === 1 && br === 1 && whole(bs, p.S)) {
    format = "one zero-run index per kernel row (1-D grain fragment)";
    ranks = [channel, rle(["S", "M"]), dense(["R"])];
  } else {
    format = br * bs * bk === 1
      ? "one zero-run index per weight (0-D)"
      : `grain block [${block}] has no exact Sparseloop rank form; written as per-weight zero-run coding`;
    ranks = [channel, rle(["S", "R", "M"])];
  }
  const doc = {
    problem: {
      version: "0.4",
      shape: {
        name: grouped ? "Grouped-CNN-Layer" : "CNN-Layer",
        dimensions: dims,
        coefficients: [
          { name: "Wstride", default: 1 },
          { name: "Hstride", default: 1 },
          { name: "Wdilation", default: 1 },
          { name: "Hdilation", default: 1 },
        ],
        data_spaces: [
          { name: "Weights", projection: [...g, [["C"]], [["M"]], [["R"]], [["S"]]] },
          {
            name: "Inputs",
            projection: [
              [["N"]],
              ...g,
              [["C"]],
              [["R", "Wdilation"], ["P", "Wstride"]],
              [["S", "Hdilation"], ["Q", "Hstride"]],
            ],
          },
          {
            name: "Outputs",
            projection: [[["N"]], ...g, [["M"]], [["Q"]], [["P"]]],
            read_write: true,
          },
        ],
      },
      instance,
    },
    sparse_optimizations: {
      version: "0.4",
      targets: [
        {
          name: options.target ?? "DRAM",
          representation_format: { data_spaces: [{ name: "Weights", ranks }] },
        },
      ],
    },
  };
  const header = [
    `# Sparseloop-style problem for layer "${p.name}" (${p.kind}, weights [${layer.shape}]),`,
    "# written by @sparsegrain/hw-models. Sparseloop models densities statistically; the",
    "# counts measured from the real mask are:",
    `#   kept weights ${kept} of ${p.elements}; grain block [${block}] on [kh, kw, cin, cout];`,
    `#   weight format: ${format};`,
    `#   stored fragments ${fragments}, filler entries ${
      tallies.fillers.reduce((a, b) => a + b, 0)
    } (${machine.indexBits}-bit zero runs).`,
    "",
  ];
  return header.join("\n") + stringify(doc);
}

import {
  type AcceleratorModel,
  type Encoder,
  type LayerWeights,
  type PluginInfo,
  pruneLayers,
  type Registry,
  UserError,
} from "@sparsegrain/core";
import { boolFlag, listFlag, numberFlag, stringFlag } from "../_flags.ts";
import type { Chosen } from "../config/catalog.ts";
import { DENSITY_PRESETS, resolveDensityMap } from "../config/presets.ts";
import { measure } from "../study/measure.ts";
import { heInitLayers, overallDensity } from "../study/weight_free.ts";
import type { Command } from "./_command.ts";
import { buildModel, MODEL_FLAGS, modelChoice } from "./_model_flags.ts";

/** Parses a density flag: a number in (0, 1] or a built-in density map name. */
export function parseDensity(text: string, flag = "density"): number | string {
  const value = Number(text);
  if (text.trim() !== "" && Number.isFinite(value)) {
    if (!(value > 0 && value <= 1)) {
      throw new UserError(
        `Flag "--${flag}" must be in (0, 1], found ${text}: pass a density like 0.3 (the fraction of weights kept)`,
      );
    }
    return value;
  }
  if (text in DENSITY_PRESETS) return text;
  throw new UserError(
    `Flag "--${flag}" must be a number in (0, 1] or a density map (${
      Object.keys(DENSITY_PRESETS).map((n) => `"${n}"`).join(", ")
    }), found "${text}": pass e.g. --${flag} 0.3`,
  );
}

/** Chooses plugins by name from a registry. */
export function choose<T extends PluginInfo>(
  registry: Registry<T>,
  names: readonly string[],
): Chosen<T>[] {
  return names.map((name) => ({ label: name, plugin: registry.get(name), source: "builtin" }));
}

function mapFor(
  name: string,
  layers: readonly LayerWeights[],
  model: string,
): Record<string, number> {
  const { densities, unmatched } = resolveDensityMap(
    DENSITY_PRESETS[name],
    layers.map((l) => l.name),
  );
  if (unmatched.length > 0) {
    throw new UserError(
      `Density map "${name}" has no entry for layers ${
        unmatched.slice(0, 5).map((n) => `"${n}"`).join(", ")
      } of "${model}": use a map made for this model, or a number`,
    );
  }
  return densities;
}

/** `cost`: storage and accelerator cost of one pruned model. */
export const costCommand: Command = {
  spec: {
    name: "cost",
    args: "MODEL",
    summary:
      "Storage and accelerator cost of one model pruned at one granularity and density. Without --weights the weights are seeded He-normal (weight-free analysis, labelled as such).",
    minPositionals: 1,
    maxPositionals: 1,
    flags: {
      granularity: {
        type: "string",
        short: "g",
        value: "G",
        description: "Granularity (required), e.g. 2d",
      },
      density: {
        type: "string",
        short: "d",
        value: "D",
        description: "Density kept, in (0, 1], or a density map such as han2015-vgg16 (required)",
      },
      saliency: { type: "string", value: "S", description: "Saliency metric (default: l1)" },
      accelerator: {
        type: "string",
        multiple: true,
        value: "A",
        description: "Accelerator model(s), e.g. scnn, dense, dense-opt (default: scnn and dense)",
      },
      encoder: {
        type: "string",
        multiple: true,
        value: "E",
        description: "Storage encoder(s) (default: relative-index)",
      },
      activation: {
        type: "string",
        value: "A",
        description: "Input activation density in [0, 1] or a map (default: 0.5)",
      },
      exclude: {
        type: "string",
        multiple: true,
        value: "PATTERN",
        description: "Leave layers matching it dense",
      },
      weights: {
        type: "string",
        value: "DIR",
        description: "A saved tfjs model of MODEL (model.json) to use instead of seeded weights",
      },
      seed: {
        type: "string",
        value: "N",
        description: "Seed of the He-normal weights (default: 0)",
      },
      ...MODEL_FLAGS,
      json: { type: "boolean", description: "Print JSON on stdout" },
    },
  },
  async run(flags, { io, deps }) {
    await deps.ready();
    const catalog = deps.catalog();
    const { registries } = catalog;
    const gName = stringFlag(flags, "granularity");
    const dText = stringFlag(flags, "density");
    if (gName === undefined || dText === undefined) {
      throw new UserError(
        `Missing flag "${
          gName === undefined ? "--granularity" : "--density"
        }" for "cost": pass e.g. --granularity 2d --density 0.3`,
      );
    }
    const granularity = registries.granularity.get(gName);
    const saliency = registries.saliency.get(stringFlag(flags, "saliency") ?? "l1");
    const accNames = listFlag(flags, "accelerator");
    const encNames = listFlag(flags, "encoder");
    const accelerators = choose<AcceleratorModel>(
      registries.accelerator,
      accNames.length ? accNames : ["scnn", "dense"].filter((n) => registries.accelerator.has(n)),
    );
    const encoders = choose<Encoder>(
      registries.encoder,
      encNames.length ? encNames : ["relative-index"].filter((n) => registries.encoder.has(n)),
    );
    const density = parseDensity(dText);
    const activationText = stringFlag(flags, "activation") ?? "0.5";
    const activationValue = Number(activationText);
    const activation: number | string = activationText in DENSITY_PRESETS
      ? activationText
      : activationValue;
    if (typeof activation === "number" && !(activation >= 0 && activation <= 1)) {
      throw new UserError(
        `Flag "--activation" must be in [0, 1] or a density map name, found "${activationText}": pass e.g. --activation 0.5`,
      );
    }
    const seed = numberFlag(flags, "seed", { integer: true, min: 0 }) ?? 0;
    const choice = modelChoice(flags.positionals[0], flags, catalog.models);
    const weightsDir = stringFlag(flags, "weights");
    let layers: LayerWeights[];
    let weightsLabel: string;
    if (weightsDir !== undefined) {
      const saved = await deps.openModel(weightsDir);
      try {
        layers = saved.layers;
      } finally {
        saved.dispose();
      }
      const expected = buildModel(choice, () => deps.shapes(choice));
      const mismatch = expected.find((e, i) =>
        layers[i]?.name !== e.name || layers[i].shape.join("x") !== e.shape.join("x")
      );
      if (mismatch || expected.length !== layers.length) {
        throw new UserError(
          `The model in "${weightsDir}" is not a "${choice.name}"${
            mismatch
              ? ` (layer "${mismatch.name}" ${mismatch.shape.join("x")} is missing or differs)`
              : ""
          }: pass the MODEL it was built as, with the same --input and --classes`,
        );
      }
      weightsLabel = `saved weights from ${weightsDir}`;
    } else {
      layers = heInitLayers(buildModel(choice, () => deps.shapes(choice)), seed);
      weightsLabel = `seeded He-normal weights (seed ${seed}; weight-free analysis, untrained)`;
    }
    const target = typeof density === "number" ? density : mapFor(density, layers, choice.name);
    const act = typeof activation === "number"
      ? undefined
      : mapFor(activation, layers, choice.name);
    const pruned = pruneLayers(layers, {
      granularity,
      saliency,
      density: target,
      exclude: listFlag(flags, "exclude"),
    });
    const m = measure(
      { encoders, accelerators },
      layers,
      pruned,
      (l) => act ? act[l.name] : activation as number,
    );
    const result = {
      model: choice.name,
      weights: weightsLabel,
      granularity: granularity.name,
      saliency: saliency.name,
      density,
      targetDensity: overallDensity(target, layers),
      activation,
      totals: {
        params: m.params,
        kept: m.kept,
        density: m.params ? m.kept / m.params : 1,
        macs: m.macs,
        storage: m.storage,
        cost: m.cost,
      },
      layers: m.layers,
    };
    if (boolFlag(flags, "json")) {
      io.writeOut(JSON.stringify(result, null, 2) + "\n");
      return 0;
    }
    const header = [
      "layer",
      "shape",
      "density",
      "kept grains",
      ...encoders.map((e) => `${e.label} KiB`),
      ...accelerators.flatMap((a) => [`${a.label} refs`, `${a.label} µJ`]),
    ];
    const num = (n: number, digits = 0) =>
      n.toLocaleString("en-US", { maximumFractionDigits: digits });
    const rows = m.layers.map((l) => [
      l.name,
      l.shape.join("x"),
      l.density.toFixed(4),
      `${num(l.keptGrains)}/${num(l.grains)}`,
      ...encoders.map((e) => num(l.storage[e.label].bits / 8192, 2)),
      ...accelerators.flatMap((
        a,
      ) => [num(l.cost[a.label].referencesTotal), num(l.cost[a.label].totalEnergy / 1e6, 2)]),
    ]);
    rows.push([
      "total",
      "",
      result.totals.density.toFixed(4),
      "",
      ...encoders.map((e) => num(m.storage[e.label].bits / 8192, 2)),
      ...accelerators.flatMap((
        a,
      ) => [num(m.cost[a.label].referencesTotal), num(m.cost[a.label].totalEnergy / 1e6, 2)]),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
        .trimEnd() + "\n";
    io.writeOut(
      `${choice.name} at ${granularity.name}, density ${dText} (${saliency.name} saliency), activation density ${activationText}\nWeights: ${weightsLabel}\n\n`,
    );
    io.writeOut(line(header));
    for (const r of rows) io.writeOut(line(r));
    return 0;
  },
};

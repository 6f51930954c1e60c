import { type Encoder, pruneLayers, UserError } from "@sparsegrain/core";
import { join } from "node:path";
import { boolFlag, listFlag, stringFlag } from "../_flags.ts";
import { DENSITY_PRESETS, resolveDensityMap } from "../config/presets.ts";
import { checkOutDir, writeFileAtomic } from "../results/store.ts";
import { measure } from "../study/measure.ts";
import type { Command } from "./_command.ts";
import { choose, parseDensity } from "./cost.ts";

/** `prune`: one-shot pruning of a saved tfjs model. */
export const pruneCommand: Command = {
  spec: {
    name: "prune",
    summary:
      "One-shot prune of a saved tfjs model (model.json + weights): writes the pruned model and its storage report (storage.json) into --out.",
    minPositionals: 0,
    maxPositionals: 0,
    flags: {
      model: {
        type: "string",
        short: "m",
        value: "DIR",
        description: "Folder of the saved model (required)",
      },
      granularity: {
        type: "string",
        short: "g",
        value: "G",
        description: "Granularity (required)",
      },
      density: {
        type: "string",
        short: "d",
        value: "D",
        description: "Density kept in (0, 1], or a density map name (required)",
      },
      saliency: { type: "string", value: "S", description: "Saliency metric (default: l1)" },
      encoder: {
        type: "string",
        multiple: true,
        value: "E",
        description: "Encoders of the storage report (default: every registered one)",
      },
      exclude: {
        type: "string",
        multiple: true,
        value: "PATTERN",
        description: "Leave layers matching it dense",
      },
      out: { type: "string", short: "o", value: "DIR", description: "Folder to write (required)" },
      json: { type: "boolean", description: "Print the storage report as JSON on stdout" },
    },
  },
  async run(flags, { io, deps }) {
    const modelDir = stringFlag(flags, "model");
    const gName = stringFlag(flags, "granularity");
    const dText = stringFlag(flags, "density");
    const out = stringFlag(flags, "out");
    const missing = [
      ["--model", modelDir],
      ["--granularity", gName],
      ["--density", dText],
      ["--out", out],
    ].filter(([, v]) => v === undefined).map(([f]) => f);
    if (missing.length > 0) {
      throw new UserError(
        `Missing flag${missing.length > 1 ? "s" : ""} ${
          missing.map((f) => `"${f}"`).join(", ")
        } for "prune": pass --model DIR --granularity G --density D --out DIR`,
      );
    }
    await deps.ready();
    const { registries } = deps.catalog();
    const granularity = registries.granularity.get(gName!);
    const saliency = registries.saliency.get(stringFlag(flags, "saliency") ?? "l1");
    const encNames = listFlag(flags, "encoder");
    const encoders = choose<Encoder>(
      registries.encoder,
      encNames.length ? encNames : registries.encoder.names(),
    );
    const density = parseDensity(dText!);
    if ((await checkOutDir(out!)) === "folder") {
      for await (const entry of Deno.readDir(out!)) {
        throw new UserError(
          `Output folder "${out}" is not empty (it holds "${entry.name}"): pass --out with a new or empty folder`,
        );
      }
    }
    const saved = await deps.openModel(modelDir!);
    try {
      const layers = saved.layers;
      let target: number | Record<string, number>;
      if (typeof density === "number") target = density;
      else {
        const r = resolveDensityMap(DENSITY_PRESETS[density], layers.map((l) => l.name));
        if (r.unmatched.length > 0) {
          throw new UserError(
            `Density map "${density}" has no entry for layers ${
              r.unmatched.slice(0, 5).map((n) => `"${n}"`).join(", ")
            } of the model in "${modelDir}": use a number or a map made for this model`,
          );
        }
        target = r.densities;
      }
      const pruned = pruneLayers(layers, {
        granularity,
        saliency,
        density: target,
        exclude: listFlag(flags, "exclude"),
      });
      const m = measure({ encoders, accelerators: [] }, layers, pruned, () => 1);
      const values = new Map<string, Float32Array>();
      layers.forEach((layer, i) => {
        const mask = pruned[i].mask;
        const v = new Float32Array(layer.values.length);
        for (let j = 0; j < v.length; j++) v[j] = mask[j] ? layer.values[j] : 0;
        values.set(layer.name, v);
      });
      await Deno.mkdir(out!, { recursive: true });
      await saved.save(out!, values);
      const report = {
        model: modelDir,
        granularity: granularity.name,
        saliency: saliency.name,
        density: dText,
        params: m.params,
        kept: m.kept,
        achievedDensity: m.params ? m.kept / m.params : 1,
        storage: m.storage,
        layers: m.layers.map((l) => ({
          name: l.name,
          shape: l.shape,
          density: l.density,
          keptGrains: l.keptGrains,
          grains: l.grains,
          zeros: l.zeros,
          storage: l.storage,
        })),
      };
      await writeFileAtomic(join(out!, "storage.json"), JSON.stringify(report, null, 2) + "\n");
      if (boolFlag(flags, "json")) io.writeOut(JSON.stringify(report, null, 2) + "\n");
      else {
        io.writeOut(
          `Pruned ${layers.length} layers at ${granularity.name} to density ${
            report.achievedDensity.toFixed(4)
          } (${m.kept.toLocaleString("en-US")} of ${
            m.params.toLocaleString("en-US")
          } weights kept)\n`,
        );
        for (const e of encoders) {
          const s = m.storage[e.label];
          io.writeOut(
            `  ${e.label.padEnd(16)} ${(s.bits / 8192).toFixed(1).padStart(10)} KiB  ${
              s.bitsPerKept.toFixed(2)
            } bits/kept weight  ${s.compression.toFixed(2)}x vs float32\n`,
          );
        }
        io.writeOut(`Wrote the pruned model and storage.json to ${out}\n`);
      }
    } finally {
      saved.dispose();
    }
    return 0;
  },
};

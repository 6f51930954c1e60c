import type { Granularity } from "@sparsegrain/core";
import { boolFlag } from "../_flags.ts";
import type { Command } from "./_command.ts";
import { buildModel, MODEL_FLAGS, modelChoice } from "./_model_flags.ts";

/** Grain counts of a layer under every registered granularity (null: left dense or unfit). */
export function grainCounts(
  layer: { name: string; kind: "conv2d" | "dense" | "depthwise"; shape: readonly number[] },
  granularities: readonly Granularity[],
): Record<string, number | null> {
  const size = layer.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  const out: Record<string, number | null> = {};
  for (const g of granularities) {
    try {
      out[g.name] = g.partition({ ...layer, values })?.count ?? null;
    } catch {
      out[g.name] = null;
    }
  }
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

/** `summary`: per-layer facts of a zoo model. */
export const summaryCommand: Command = {
  spec: {
    name: "summary",
    args: "MODEL",
    summary:
      "Per prunable layer of a zoo model: kind, weight shape (tfjs layout), parameters, MACs and grains per granularity.",
    minPositionals: 1,
    maxPositionals: 1,
    flags: {
      ...MODEL_FLAGS,
      json: {
        type: "boolean",
        description:
          "Print { model, params, macs, layers: [{ name, kind, shape, params, macs, grains }] }",
      },
    },
  },
  async run(flags, { io, deps }) {
    await deps.ready();
    const catalog = deps.catalog();
    const choice = modelChoice(flags.positionals[0], flags, catalog.models);
    const facts = buildModel(choice, () => deps.facts(choice));
    const granularities = catalog.registries.granularity.list();
    const layers = facts.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      shape: [...l.shape],
      params: l.params,
      macs: l.macs,
      grains: grainCounts(l, granularities),
    }));
    if (boolFlag(flags, "json")) {
      io.writeOut(
        JSON.stringify(
          {
            model: facts.model,
            inputShape: facts.inputShape,
            params: facts.params,
            weights: facts.weights,
            macs: facts.macs,
            layers,
          },
          null,
          2,
        ) + "\n",
      );
      return 0;
    }
    const names = granularities.map((g) => g.name);
    const header = ["layer", "kind", "shape", "params", "MACs", ...names.map((n) => `${n} grains`)];
    const rows = layers.map((l) => [
      l.name,
      l.kind,
      l.shape.join("x"),
      fmt(l.params),
      fmt(l.macs),
      ...names.map((n) => (l.grains[n] === null ? "-" : fmt(l.grains[n]!))),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
        .trimEnd() + "\n";
    io.writeOut(
      `${facts.model}: input ${facts.inputShape.join("x")}, ${fmt(facts.params)} parameters (${
        fmt(facts.weights)
      } in ${layers.length} prunable layers), ${fmt(facts.macs)} MACs\n\n`,
    );
    io.writeOut(line(header));
    for (const r of rows) io.writeOut(line(r));
    return 0;
  },
};

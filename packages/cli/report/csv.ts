import type { ResultLine } from "../results/schema.ts";
import { acceleratorLabels, encoderLabels } from "./data.ts";

/** Quotes a CSV field when needed (RFC 4180). */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "number"
    ? (Number.isFinite(value) ? String(value) : "")
    : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(header: readonly string[], rows: readonly unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** One row per point: identity, density, accuracy, storage per encoder, cost per accelerator. */
export function resultsCsv(lines: readonly ResultLine[]): string {
  const encoders = encoderLabels(lines);
  const accelerators = acceleratorLabels(lines);
  const header = [
    "point",
    "half",
    "model",
    "granularity",
    "saliency",
    "density_label",
    "target_density",
    "density",
    "sparsity",
    "seed",
    "params",
    "kept",
    "macs",
    "top1",
    "top1_quantized",
    "baseline_top1",
    "baseline_top1_quantized",
    ...encoders.flatMap((e) => [`${e}_bits`, `${e}_bits_per_kept`, `${e}_compression`]),
    ...accelerators.flatMap((a) => [
      `${a}_products`,
      `${a}_cycles`,
      `${a}_references`,
      `${a}_dram_bytes`,
      `${a}_energy_pj`,
    ]),
    "total_ms",
    "config_hash",
  ];
  const rows = lines.map((l) => {
    const m = l.metrics;
    return [
      l.point,
      l.half,
      l.model,
      l.granularity,
      l.saliency,
      l.densityLabel,
      l.targetDensity,
      m.density,
      m.sparsity,
      l.seed,
      m.params,
      m.kept,
      m.macs,
      m.accuracy?.top1,
      m.accuracy?.top1Quantized,
      m.accuracy?.baselineTop1,
      m.accuracy?.baselineTop1Quantized,
      ...encoders.flatMap((e) => {
        const s = m.storage[e];
        return [s?.bits, s?.bitsPerKept, s?.compression];
      }),
      ...accelerators.flatMap((a) => {
        const c = m.cost[a];
        return [c?.products, c?.cycles, c?.referencesTotal, c?.dramBytes, c?.totalEnergy];
      }),
      l.timings.totalMs,
      l.configHash,
    ];
  });
  return toCsv(header, rows);
}

/** One row per point and layer. */
export function layersCsv(lines: readonly ResultLine[]): string {
  const encoders = encoderLabels(lines);
  const accelerators = acceleratorLabels(lines);
  const header = [
    "point",
    "model",
    "granularity",
    "density_label",
    "seed",
    "layer",
    "kind",
    "shape",
    "elements",
    "kept",
    "density",
    "pruned",
    "grains",
    "kept_grains",
    "zeros_filter",
    "zeros_kernel",
    "zeros_row",
    "zeros_isolated",
    "activation_density",
    ...encoders.map((e) => `${e}_bits`),
    ...accelerators.flatMap((a) => [`${a}_references`, `${a}_products`, `${a}_energy_pj`]),
  ];
  const rows = lines.flatMap((l) =>
    l.layers.map((layer) => [
      l.point,
      l.model,
      l.granularity,
      l.densityLabel,
      l.seed,
      layer.name,
      layer.kind,
      layer.shape.join("x"),
      layer.elements,
      layer.kept,
      layer.density,
      layer.pruned,
      layer.grains,
      layer.keptGrains,
      layer.zeros.filter,
      layer.zeros.kernel,
      layer.zeros.row,
      layer.zeros.isolated,
      layer.activationDensity,
      ...encoders.map((e) => layer.storage[e]?.bits),
      ...accelerators.flatMap((a) => {
        const c = layer.cost[a];
        return [c?.referencesTotal, c?.products, c?.totalEnergy];
      }),
    ])
  );
  return toCsv(header, rows);
}

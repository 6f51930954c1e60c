/**
 * The report's charts as Vega-Lite specs with inline data. They are written next to the report
 * as `<id>.vl.json` so a researcher can restyle them, rendered to static SVG for report.md and
 * embedded interactively in report.html.
 *
 * @module
 */
import type { ResultLine } from "../results/schema.ts";
import {
  accuracyRows,
  baselineRows,
  energyRows,
  fineGranularity,
  granularityLabels,
  maskRows,
  primaryEncoder,
  referenceRows,
  type ReportOptions,
  totalReferenceRows,
} from "./data.ts";

/** A chart of the report. */
export interface Chart {
  /** File stem and HTML id, e.g. `accuracy-vs-sparsity`. */
  readonly id: string;
  /** Heading in the report. */
  readonly title: string;
  /** One paragraph saying what is plotted. */
  readonly caption: string;
  /** The Vega-Lite spec. */
  readonly spec: Record<string, unknown>;
  /** Data rows in the spec (0 means the chart is left out). */
  readonly rows: number;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const FONT = { labelFontSize: 11, titleFontSize: 12 };
const CONFIG = {
  axis: FONT,
  legend: FONT,
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14 },
  view: { stroke: "#ccc" },
};

/** The colour channel every chart uses for granularities: study order, one colour each. */
function granularityColor(lines: readonly ResultLine[]) {
  return {
    field: "granularity",
    type: "nominal",
    title: "Granularity",
    scale: { domain: granularityLabels(lines), scheme: "category10" },
  };
}

/** One panel row per model (or model @ density), one column per accelerator model. */
function acceleratorFacet(field: "panel" | "model", title: string) {
  return {
    row: { field, type: "nominal", title },
    column: { field: "accelerator", type: "nominal", title: "Accelerator" },
  };
}

/** The faceted Vega-Lite spec every chart is: schema, data, facets, inner spec, shared config. */
function facetedSpec(
  title: string,
  values: readonly unknown[],
  facet: Record<string, unknown>,
  spec: Record<string, unknown>,
  resolve: Record<string, unknown>,
): Record<string, unknown> {
  return { $schema: SCHEMA, title, data: { values }, facet, spec, resolve, config: CONFIG };
}

/**
 * The layer of one dot per seed (top-1 against `x`) drawn under the lines through the seed means,
 * to show the spread; `precision` keeps only the rows of one precision.
 */
function seedDots(
  lines: readonly ResultLine[],
  x: string,
  tooltip: readonly Record<string, string>[],
  precision?: string,
): Record<string, unknown> {
  return {
    ...(precision ? { transform: [{ filter: `datum.precision == '${precision}'` }] } : {}),
    mark: { type: "point", size: 18, opacity: 0.55 },
    encoding: {
      x: { field: x, type: "quantitative" },
      y: { field: "top1", type: "quantitative" },
      color: granularityColor(lines),
      tooltip: [
        { field: "granularity" },
        { field: "densityLabel", title: "density" },
        { field: "seed" },
        { field: "top1", title: "top-1 (%)" },
        ...tooltip,
      ],
    },
  };
}

/** Builds every chart that has data. */
export function buildCharts(lines: readonly ResultLine[], options: ReportOptions): Chart[] {
  const charts = [
    accuracyChart(lines, options),
    compressionChart(lines, options),
    referencesChart(lines),
    totalReferencesChart(lines),
    energyChart(lines),
    masksChart(lines),
  ];
  return charts.filter((c) => c.rows > 0);
}

function accuracyChart(lines: readonly ResultLine[], options: ReportOptions): Chart {
  const values = accuracyRows(lines, options);
  const baselines = baselineRows(lines);
  return {
    id: "accuracy-vs-sparsity",
    title: "Accuracy vs sparsity per granularity",
    caption:
      "Top-1 test accuracy of the pruned, fine-tuned network against its sparsity (percent of weights pruned), one line per granularity; solid: float32 weights, dashed: kept weights linearly quantised. Grey rules: the dense baseline.",
    rows: values.length,
    spec: facetedSpec(
      "Top-1 accuracy vs sparsity",
      values,
      { column: { field: "model", type: "nominal", title: "Model" } },
      {
        width: 380,
        height: 260,
        layer: [
          {
            data: { values: baselines },
            transform: [{ filter: "datum.precision == 'float32'" }],
            mark: { type: "rule", color: "#888", strokeDash: [2, 2] },
            encoding: { y: { field: "top1", type: "quantitative" } },
          },
          {
            // One line per granularity and precision through the means over seeds.
            transform: [{
              aggregate: [
                { op: "mean", field: "top1", as: "top1" },
                { op: "mean", field: "sparsity", as: "sparsity" },
                { op: "mean", field: "baseline", as: "baseline" },
                { op: "count", as: "seeds" },
              ],
              groupby: ["model", "granularity", "densityLabel", "precision"],
            }],
            mark: { type: "line", point: { filled: true, size: 30 } },
            encoding: {
              x: {
                field: "sparsity",
                type: "quantitative",
                title: "Sparsity of the pruned layers (%)",
                scale: { zero: false },
              },
              y: {
                field: "top1",
                type: "quantitative",
                title: "Top-1 accuracy (%)",
                scale: { zero: false },
              },
              color: granularityColor(lines),
              strokeDash: {
                field: "precision",
                type: "nominal",
                title: "Weights",
                scale: {
                  domain: [...new Set(["float32", ...values.map((v) => v.precision)])],
                  range: [[1, 0], [5, 3], [2, 2]],
                },
                legend: {
                  symbolType: "stroke",
                  encode: {
                    symbols: { update: { stroke: { value: "#333" }, strokeWidth: { value: 2 } } },
                  },
                },
              },
              detail: { field: "precision" },
              tooltip: [
                { field: "granularity" },
                { field: "densityLabel", title: "density" },
                { field: "precision" },
                { field: "top1", title: "mean top-1 (%)", format: ".2f" },
                { field: "baseline", title: "mean baseline (%)", format: ".2f" },
                { field: "seeds" },
              ],
            },
          },
          seedDots(lines, "sparsity", [{ field: "baseline", title: "baseline (%)" }], "float32"),
        ],
      },
      { scale: { y: "independent" } },
    ),
  };
}

function compressionChart(lines: readonly ResultLine[], options: ReportOptions): Chart {
  const encoder = primaryEncoder(lines, options);
  const all = accuracyRows(lines, options);
  const values = all.filter((r) => r.precision !== "float32");
  return {
    id: "compression-vs-accuracy",
    title: "Compression ratio vs accuracy",
    caption:
      `Top-1 accuracy with quantised kept weights against the compression ratio of the pruned layers under the "${encoder}" encoding (their dense float32 size / encoded size, indices and fillers included; layers left dense are not counted), one line per granularity through the means over seeds, one dot per seed. Further right at equal height stores the same accuracy in fewer bits.`,
    rows: values.length,
    spec: facetedSpec(
      `Compression (${encoder}) vs accuracy`,
      values,
      { column: { field: "model", type: "nominal", title: "Model" } },
      {
        width: 380,
        height: 260,
        layer: [
          {
            // One line per granularity through the means over seeds.
            transform: [{
              aggregate: [
                { op: "mean", field: "top1", as: "top1" },
                { op: "mean", field: "compression", as: "compression" },
                { op: "mean", field: "bitsPerKept", as: "bitsPerKept" },
                { op: "count", as: "seeds" },
              ],
              groupby: ["model", "granularity", "densityLabel"],
            }],
            mark: { type: "line", point: { filled: true, size: 30 } },
            encoding: {
              x: {
                field: "compression",
                type: "quantitative",
                title: "Compression of the pruned layers (x, vs dense float32)",
                scale: { type: "log" },
              },
              y: {
                field: "top1",
                type: "quantitative",
                title: "Top-1 accuracy, quantised (%)",
                scale: { zero: false },
              },
              color: granularityColor(lines),
              order: { field: "compression" },
              tooltip: [
                { field: "granularity" },
                { field: "densityLabel", title: "density" },
                { field: "compression", title: "mean compression (x)", format: ".3f" },
                { field: "bitsPerKept", title: "mean bits per kept weight", format: ".3f" },
                { field: "top1", title: "mean top-1 (%)", format: ".2f" },
                { field: "seeds" },
              ],
            },
          },
          seedDots(lines, "compression", [{ field: "compression", title: "compression (x)" }]),
        ],
      },
      { scale: { y: "independent", x: "independent" } },
    ),
  };
}

function referencesChart(lines: readonly ResultLine[]): Chart {
  const values = referenceRows(lines);
  const fine = fineGranularity(lines);
  return {
    id: "memory-references-per-layer",
    title: "Memory references per layer, normalised to fine-grained",
    caption:
      `On-chip memory references (weights, indices, input activations, accumulator reads and writes, output writes) of each layer, divided by those of "${fine}" pruning of the same layer at the same density; one panel per accelerator model (side by side) and per model at its pictured density (a density map when run, else the uniform density nearest 0.3). Below 1 means fewer references than fine-grained.`,
    rows: values.length,
    spec: facetedSpec(
      `Memory references per layer / ${fine}`,
      values,
      acceleratorFacet("panel", "Model @ density"),
      {
        width: 560,
        height: 180,
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              x: {
                field: "layer",
                type: "nominal",
                title: "Layer",
                sort: { field: "layerIndex" },
                axis: { labelAngle: -60, labelFontSize: 9, labelOverlap: true },
              },
              xOffset: { field: "granularity", sort: granularityLabels(lines) },
              y: {
                field: "normalized",
                type: "quantitative",
                title: `References / ${fine} (ratio)`,
              },
              color: granularityColor(lines),
              tooltip: [
                { field: "layer" },
                { field: "granularity" },
                { field: "accelerator" },
                { field: "references", title: "references", format: ",.0f" },
                { field: "normalized", title: `ratio to ${fine}`, format: ".3f" },
              ],
            },
          },
          {
            mark: { type: "rule", color: "#444", strokeDash: [3, 3] },
            encoding: { y: { datum: 1 } },
          },
        ],
      },
      { scale: { x: "independent", xOffset: "independent" } },
    ),
  };
}

function totalReferencesChart(lines: readonly ResultLine[]): Chart {
  const values = totalReferenceRows(lines);
  const fine = fineGranularity(lines);
  return {
    id: "memory-references-total",
    title: "Whole-network memory references, normalised to fine-grained",
    caption:
      `Memory references of all prunable layers at every density, divided by those of "${fine}" pruning at the same density; one panel per accelerator model.`,
    rows: values.length,
    spec: facetedSpec(
      `Memory references / ${fine}`,
      values,
      acceleratorFacet("model", "Model"),
      {
        width: { step: 14 },
        height: 140,
        mark: { type: "bar" },
        encoding: {
          x: { field: "densityLabel", type: "nominal", title: "Density" },
          xOffset: { field: "granularity", sort: granularityLabels(lines) },
          y: { field: "normalized", type: "quantitative", title: `References / ${fine} (ratio)` },
          color: granularityColor(lines),
          tooltip: [
            { field: "model" },
            { field: "densityLabel", title: "density" },
            { field: "granularity" },
            { field: "references", format: ",.0f" },
            { field: "normalized", format: ".3f" },
          ],
        },
      },
      { scale: { x: "independent" } },
    ),
  };
}

function energyChart(lines: readonly ResultLine[]): Chart {
  const values = energyRows(lines);
  return {
    id: "energy-by-kind",
    title: "Energy by kind",
    caption:
      "Energy of all prunable layers split by kind (multiplies, on-chip references by buffer, DRAM), per granularity and accelerator model, at each model's pictured density.",
    rows: values.length,
    spec: facetedSpec(
      "Energy by kind",
      values,
      acceleratorFacet("panel", "Model @ density"),
      {
        width: { step: 28 },
        height: 180,
        mark: { type: "bar" },
        encoding: {
          x: {
            field: "granularity",
            type: "nominal",
            title: "Granularity",
            sort: granularityLabels(lines),
          },
          y: { field: "energy", type: "quantitative", title: "Energy (µJ)", stack: "zero" },
          color: { field: "kind", type: "nominal", title: "Kind", scale: { scheme: "tableau10" } },
          tooltip: [
            { field: "granularity" },
            { field: "accelerator" },
            { field: "kind" },
            { field: "energy", title: "energy (µJ)", format: ",.3f" },
          ],
        },
      },
      { scale: { y: "independent" } },
    ),
  };
}

function masksChart(lines: readonly ResultLine[]): Chart {
  const values = maskRows(lines);
  return {
    id: "mask-pictures",
    title: "Mask pictures",
    caption:
      "The keep mask of one layer per model and granularity, cropped to the first filters (rows: filter x kernel row) and input channels (columns: input channel x kernel column). Dark cells are kept weights, light cells pruned.",
    rows: values.filter((v) => v.cell === "kept").length,
    spec: facetedSpec(
      "Kept weights of one layer",
      values,
      {
        row: { field: "panel", type: "nominal", title: "Model layer @ density" },
        column: {
          field: "granularity",
          type: "nominal",
          title: "Granularity",
          sort: granularityLabels(lines),
        },
      },
      {
        width: 160,
        height: 160,
        mark: { type: "rect" },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { nice: false, zero: true }, axis: null },
          x2: { field: "x2" },
          y: {
            field: "y",
            type: "quantitative",
            scale: { nice: false, zero: true, reverse: true },
            axis: null,
          },
          y2: { field: "y2" },
          color: {
            field: "cell",
            type: "nominal",
            title: "Weight",
            scale: { domain: ["pruned", "kept"], range: ["#e4e4e4", "#1f3b73"] },
          },
        },
      },
      { scale: { x: "independent", y: "independent" } },
    ),
  };
}

/** Pretty JSON of a spec, with data rows kept one per line so large charts stay readable. */
export function formatSpec(value: unknown, indent = ""): string {
  const next = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const flat = value.every((v) => v === null || typeof v !== "object" || isFlatRecord(v));
    if (flat) return `[\n${value.map((v) => next + JSON.stringify(v)).join(",\n")}\n${indent}]`;
    return `[\n${value.map((v) => next + formatSpec(v, next)).join(",\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return `{\n${
      entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${formatSpec(v, next)}`).join(",\n")
    }\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isFlatRecord(value: object): boolean {
  return !Array.isArray(value) &&
    Object.values(value).every((v) => v === null || typeof v !== "object");
}

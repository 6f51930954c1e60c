/**
 * The data behind results.md: per-seed statistics, result points reduced to their model's pruned
 * layers, the grid of one model's points by density and granularity, and the labels the
 * findings compare (all read from the result lines).
 *
 * @module
 */
import type { CostRecord, ResultLine } from "../results/schema.ts";
import {
  acceleratorLabels,
  encoderLabels,
  fineGranularity,
  granularityLabels,
  primaryEncoder,
  prunedLayerSet,
  type ReportOptions,
} from "./data.ts";

/** Tolerance of the comparisons (values in percent or ratios). */
export const EPS = 1e-9;

/** Mean, sample standard deviation and range of one quantity over seeds. */
export interface SeedStats {
  /** Number of values (seeds). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Mean, sample standard deviation, min and max of `values` (NaN everywhere for none).
 *
 * @param values One value per seed.
 * @returns The statistics.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedStats } from "./findings.ts";
 * const s = seedStats([1, 2, 3, 4]);
 * assert.equal(s.mean, 2.5);
 * assert.equal(s.sd.toFixed(4), "1.2910");
 * assert.deepEqual([s.min, s.max, s.n], [1, 4, 4]);
 * ```
 */
export function seedStats(values: readonly number[]): SeedStats {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, min: NaN, max: NaN };
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

export function mean(values: readonly number[]): number {
  return seedStats(values).mean;
}

/** Pooled sample standard deviation of two groups; 0 when neither has two values. */
export function pooledSd(a: readonly number[], b: readonly number[]): number {
  const dof = a.length + b.length - 2;
  if (dof <= 0) return 0;
  const sa = seedStats(a);
  const sb = seedStats(b);
  const va = a.length > 1 ? (a.length - 1) * sa.sd ** 2 : 0;
  const vb = b.length > 1 ? (b.length - 1) * sb.sd ** 2 : 0;
  return Math.sqrt((va + vb) / dof);
}

// ---------------------------------------------------------------------------------------------
// Points over pruned layers

/** One result point, reduced to its model's pruned layers. */
export interface Point {
  readonly line: ResultLine;
  readonly seed: number;
  readonly kept: number;
  readonly elements: number;
  /** Bits by encoder. */
  readonly bits: Readonly<Record<string, number>>;
  /** Memory references, cycles and energy (pJ) by accelerator. */
  readonly refs: Readonly<Record<string, number>>;
  readonly cycles: Readonly<Record<string, number>>;
  readonly energy: Readonly<Record<string, number>>;
  /** Top-1 (percent) with float and quantised weights, and the same seed's dense baselines. */
  readonly top1: number;
  readonly top1q: number;
  readonly base: number;
  readonly baseq: number;
}

export function density(p: Point): number {
  return p.elements > 0 ? p.kept / p.elements : NaN;
}

export function bitsPerKept(p: Point, encoder: string): number {
  return p.kept > 0 ? (p.bits[encoder] ?? NaN) / p.kept : NaN;
}

function sumRecords(
  records: readonly Readonly<Record<string, number>>[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function toPoint(line: ResultLine, pruned: ReadonlySet<string>): Point {
  const layers = line.layers.filter((l) => pruned.has(l.name));
  const acc = line.metrics.accuracy;
  const costs = (f: (c: CostRecord) => number) =>
    sumRecords(layers.map((l) => mapValues(l.cost, f)));
  return {
    line,
    seed: line.seed,
    kept: layers.reduce((a, l) => a + l.kept, 0),
    elements: layers.reduce((a, l) => a + l.elements, 0),
    bits: sumRecords(layers.map((l) => mapValues(l.storage, (x) => x.bits))),
    refs: costs((c) => c.referencesTotal),
    cycles: costs((c) => c.cycles),
    energy: costs((c) => c.totalEnergy),
    top1: acc ? 100 * acc.top1 : NaN,
    top1q: acc ? 100 * acc.top1Quantized : NaN,
    base: acc ? 100 * acc.baselineTop1 : NaN,
    baseq: acc ? 100 * acc.baselineTop1Quantized : NaN,
  };
}

function mapValues<T>(
  record: Readonly<Record<string, T>>,
  f: (v: T) => number,
): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** The points of one model, by density label and granularity, each cell sorted by seed. */
export interface Grid {
  /** The model as the report names it (without the weight-free marker). */
  readonly model: string;
  readonly lines: readonly ResultLine[];
  /** Layers pruned at some granularity of this model, in layer order. */
  readonly pruned: readonly string[];
  /** Every layer of the model, in layer order. */
  readonly layers: readonly { readonly name: string; readonly elements: number }[];
  /** Layers some granularity leaves dense while another prunes them: granularity -> layers. */
  readonly partial: ReadonlyMap<string, readonly string[]>;
  readonly densities: readonly string[];
  readonly granularities: readonly string[];
  readonly seeds: readonly number[];
  readonly cells: ReadonlyMap<string, readonly Point[]>;
}

function cellKey(densityLabel: string, granularity: string): string {
  return `${densityLabel}\u0000${granularity}`;
}

export function cell(grid: Grid, densityLabel: string, granularity: string): readonly Point[] {
  return grid.cells.get(cellKey(densityLabel, granularity)) ?? [];
}

/** Density labels: uniform densities from dense to sparse, then density maps by name. */
function densityOrder(lines: readonly ResultLine[]): string[] {
  const target = new Map<string, number>();
  for (const l of lines) target.set(l.densityLabel, l.targetDensity);
  const isMap = (label: string) => Number.isNaN(Number(label));
  return [...target.keys()].sort((a, b) =>
    Number(isMap(a)) - Number(isMap(b)) ||
    (isMap(a) ? 0 : Number(b) - Number(a)) ||
    (a < b ? -1 : a > b ? 1 : 0)
  );
}

export function buildGrid(lines: readonly ResultLine[]): Grid {
  const first = lines[0];
  const layerNames = first.layers.map((l) => l.name);
  const prunedSet = prunedLayerSet(lines);
  const pruned = [
    ...layerNames.filter((n) => prunedSet.has(n)),
    ...[...prunedSet].filter((n) => !layerNames.includes(n)).sort(),
  ];
  const granularities = granularityLabels(lines);
  const partial = new Map<string, string[]>();
  for (const g of granularities) {
    const dense = pruned.filter((name) =>
      lines.some((l) => l.granularity === g && l.layers.some((x) => x.name === name && !x.pruned))
    );
    if (dense.length > 0) partial.set(g, dense);
  }
  const cells = new Map<string, Point[]>();
  for (const l of lines) {
    const list = cells.get(cellKey(l.densityLabel, l.granularity)) ?? [];
    list.push(toPoint(l, prunedSet));
    cells.set(cellKey(l.densityLabel, l.granularity), list);
  }
  for (const list of cells.values()) list.sort((a, b) => a.seed - b.seed);
  return {
    model: first.model,
    lines,
    pruned,
    layers: first.layers.map((l) => ({ name: l.name, elements: l.elements })),
    partial,
    densities: densityOrder(lines),
    granularities,
    seeds: [...new Set(lines.map((l) => l.seed))].sort((a, b) => a - b),
    cells,
  };
}

/** `f(point, reference)` for every seed that has both a `granularity` and a `reference` point. */
export function paired(
  grid: Grid,
  densityLabel: string,
  granularity: string,
  reference: string,
  f: (p: Point, r: Point) => number,
): number[] {
  const refs = cell(grid, densityLabel, reference);
  const out: number[] = [];
  for (const p of cell(grid, densityLabel, granularity)) {
    const r = refs.find((x) => x.seed === p.seed);
    if (r) out.push(f(p, r));
  }
  return out;
}

export function ratioOf(a: number | undefined, b: number | undefined): number {
  return a !== undefined && b !== undefined && b > 0 ? a / b : NaN;
}

// ---------------------------------------------------------------------------------------------
// Labels and verdicts

/** Which labels the report compares, all read from the lines. */
export interface Labels {
  readonly encoders: readonly string[];
  readonly primary: string;
  readonly accelerators: readonly string[];
  readonly granularities: readonly string[];
  /** The granularity whose grains are single weights, when the study has one. */
  readonly fine?: string;
  /** Vector (`1d`) and kernel (`2d`) granularities: the coarse grains of the paper's claims. */
  readonly vectorKernel: readonly string[];
  /** Filter (`3d`) granularities. */
  readonly filter: readonly string[];
  /** The other coarse granularities (plugins, `channel`, ...): shown, not judged. */
  readonly others: readonly string[];
  readonly scnn?: string;
  readonly dense?: string;
}

function pluginLabels(lines: readonly ResultLine[], kind: string, names: readonly string[]) {
  const labels = new Set<string>();
  for (const l of lines) {
    for (const p of l.plugins) if (p.kind === kind && names.includes(p.name)) labels.add(p.label);
  }
  return labels;
}

export function studyLabels(lines: readonly ResultLine[], options: ReportOptions): Labels {
  const granularities = granularityLabels(lines);
  const isFine = (g: string) =>
    lines.some((l) => l.granularity === g) &&
    lines.filter((l) => l.granularity === g).every((l) =>
      l.layers.every((x) => !x.pruned || x.grains === x.elements)
    );
  const preferred = fineGranularity(lines);
  const fine = isFine(preferred) ? preferred : granularities.find(isFine);
  const vk = pluginLabels(lines, "granularity", ["1d", "2d"]);
  const filter = pluginLabels(lines, "granularity", ["3d"]);
  const accelerators = acceleratorLabels(lines);
  const scnn = pluginLabels(lines, "accelerator", ["scnn"]);
  const dense = pluginLabels(lines, "accelerator", ["dense"]);
  return {
    encoders: encoderLabels(lines),
    primary: primaryEncoder(lines, options),
    accelerators,
    granularities,
    fine,
    vectorKernel: granularities.filter((g) => g !== fine && vk.has(g)),
    filter: granularities.filter((g) => g !== fine && filter.has(g)),
    others: granularities.filter((g) => g !== fine && !vk.has(g) && !filter.has(g)),
    scnn: accelerators.find((a) => scnn.has(a)),
    dense: accelerators.find((a) => dense.has(a)),
  };
}

/**
 * Tables derived from result lines: what the charts, the CSV files and the iso-accuracy table
 * show. Pure functions over {@link ResultLine}s, so `report DIR` re-renders from results alone.
 *
 * @module
 */
import type { ResultLine } from "../results/schema.ts";

/** Report options (from the study's `report:` section). */
export interface ReportOptions {
  /** Accuracy drops in percentage points for the iso-accuracy table. */
  readonly drops: readonly number[];
  /** Encoder label used for compression ratios; default: the first encoder in the results. */
  readonly primaryEncoder?: string;
}

/** Encoder labels present, in first-seen order. */
export function encoderLabels(lines: readonly ResultLine[]): string[] {
  return unique(lines.flatMap((l) => Object.keys(l.metrics.storage)));
}

/** Accelerator labels present, in first-seen order. */
export function acceleratorLabels(lines: readonly ResultLine[]): string[] {
  return unique(lines.flatMap((l) => Object.keys(l.metrics.cost)));
}

/** Granularity labels in study order. */
export function granularityLabels(lines: readonly ResultLine[]): string[] {
  return unique([...lines].sort((a, b) => a.index - b.index).map((l) => l.granularity));
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** The encoder used for compression ratios. */
export function primaryEncoder(lines: readonly ResultLine[], options: ReportOptions): string {
  const labels = encoderLabels(lines);
  return options.primaryEncoder && labels.includes(options.primaryEncoder)
    ? options.primaryEncoder
    : labels[0] ?? "";
}

/**
 * The fine-grained reference granularity: the one whose plugin is `0d`, else the first.
 */
export function fineGranularity(lines: readonly ResultLine[]): string {
  const fine = lines.find((l) =>
    l.plugins.some((p) => p.kind === "granularity" && p.name === "0d" && p.label === l.granularity)
  );
  return fine?.granularity ?? granularityLabels(lines)[0] ?? "";
}

/** One accuracy point for the charts. */
export interface AccuracyRow {
  model: string;
  granularity: string;
  densityLabel: string;
  density: number;
  sparsity: number;
  seed: number;
  precision: string;
  top1: number;
  baseline: number;
  compression: number;
  bitsPerKept: number;
}

/**
 * The names of the layers pruned in any of `lines` (give the lines of one model): the layers a
 * study compares granularities on. Layers left dense by `exclude` are out; a layer one
 * granularity skips but another prunes stays in, so every granularity is measured on the same
 * weights.
 */
export function prunedLayerSet(lines: readonly ResultLine[]): Set<string> {
  return new Set(lines.flatMap((l) => l.layers.filter((x) => x.pruned)).map((x) => x.name));
}

/**
 * Sparsity (0..1) of a point over the layers named in `pruned` (see {@link prunedLayerSet}); the
 * whole network's when none is.
 */
export function prunedSparsity(line: ResultLine, pruned: ReadonlySet<string>): number {
  let elements = 0;
  let kept = 0;
  for (const l of line.layers) {
    if (!pruned.has(l.name)) continue;
    elements += l.elements;
    kept += l.kept;
  }
  return elements > 0 ? 1 - kept / elements : line.metrics.sparsity;
}

/**
 * Storage of a point's layers named in `pruned` under one encoder: compression (32-bit dense /
 * bits) and bits per kept weight. Layers left dense are left out: their cost under an
 * index-per-grain encoder changes with the granularity though none of their weights is pruned.
 */
export function prunedStorage(
  line: ResultLine,
  encoder: string,
  pruned: ReadonlySet<string>,
): { compression: number; bitsPerKept: number } | undefined {
  let elements = 0;
  let kept = 0;
  let bits = 0;
  for (const l of line.layers) {
    const s = l.storage[encoder];
    if (!pruned.has(l.name) || !s) continue;
    elements += l.elements;
    kept += l.kept;
    bits += s.bits;
  }
  if (elements === 0) return line.metrics.storage[encoder];
  return {
    compression: bits > 0 ? (32 * elements) / bits : 0,
    bitsPerKept: kept > 0 ? bits / kept : 0,
  };
}

/**
 * Accuracy rows: one per point and precision (float, and quantised). Values in percent;
 * `sparsity` and storage are over the pruned layers ({@link prunedSparsity}, {@link prunedStorage}).
 */
export function accuracyRows(lines: readonly ResultLine[], options: ReportOptions): AccuracyRow[] {
  const encoder = primaryEncoder(lines, options);
  const rows: AccuracyRow[] = [];
  const prunedByModel = new Map<string, Set<string>>();
  for (const model of modelNames(lines)) {
    prunedByModel.set(model, prunedLayerSet(lines.filter((l) => modelKey(l) === model)));
  }
  for (const l of lines) {
    const acc = l.metrics.accuracy;
    if (!acc) continue;
    const pruned = prunedByModel.get(modelKey(l))!;
    const storage = prunedStorage(l, encoder, pruned);
    const base = {
      model: l.model,
      granularity: l.granularity,
      densityLabel: l.densityLabel,
      density: round(l.metrics.density, 4),
      sparsity: round(100 * prunedSparsity(l, pruned), 2),
      seed: l.seed,
      compression: round(storage?.compression ?? 0, 3),
      bitsPerKept: round(storage?.bitsPerKept ?? 0, 3),
    };
    rows.push({
      ...base,
      precision: "float32",
      top1: round(100 * acc.top1, 2),
      baseline: round(100 * acc.baselineTop1, 2),
    });
    rows.push({
      ...base,
      precision: `${acc.quantizationBits}-bit`,
      top1: round(100 * acc.top1Quantized, 2),
      baseline: round(100 * acc.baselineTop1Quantized, 2),
    });
  }
  return rows;
}

/** Baseline accuracy per model (percent, the mean over seeds), float and quantised. */
export function baselineRows(
  lines: readonly ResultLine[],
): Array<{ model: string; precision: string; top1: number }> {
  const sums = new Map<string, { model: string; precision: string; seeds: Map<number, number> }>();
  const add = (model: string, precision: string, seed: number, top1: number) => {
    const key = `${model}/${precision}`;
    let entry = sums.get(key);
    if (!entry) sums.set(key, entry = { model, precision, seeds: new Map() });
    entry.seeds.set(seed, top1);
  };
  for (const l of lines) {
    const acc = l.metrics.accuracy;
    if (!acc) continue;
    add(l.model, "float32", l.seed, acc.baselineTop1);
    add(l.model, `${acc.quantizationBits}-bit`, l.seed, acc.baselineTop1Quantized);
  }
  return [...sums.values()].map(({ model, precision, seeds }) => ({
    model,
    precision,
    top1: round((100 * [...seeds.values()].reduce((a, b) => a + b, 0)) / seeds.size, 2),
  }));
}

/**
 * The density label pictured for a model: the first density map it was run at, else the
 * uniform density closest to 0.3 (ties: the lower). Returns undefined for no lines.
 */
export function pictureDensity(lines: readonly ResultLine[], model: string): string | undefined {
  const mine = lines.filter((l) => modelKey(l) === model).sort((a, b) => a.index - b.index);
  if (mine.length === 0) return undefined;
  const map = mine.find((l) => Number.isNaN(Number(l.densityLabel)));
  if (map) return map.densityLabel;
  const labels = unique(mine.map((l) => l.densityLabel));
  return labels.sort((a, b) =>
    Math.abs(Number(a) - 0.3) - Math.abs(Number(b) - 0.3) || Number(a) - Number(b)
  )[0];
}

/**
 * The model as reports name it: weight-free points are marked, since the same architecture may
 * also be trained in the accuracy half.
 */
export function modelKey(line: ResultLine): string {
  return line.half === "weight-free" ? `${line.model} (seeded)` : line.model;
}

/** Models in study order (see {@link modelKey}). */
export function modelNames(lines: readonly ResultLine[]): string[] {
  return unique([...lines].sort((a, b) => a.index - b.index).map(modelKey));
}

/** The lines shown for each model in the hardware and mask charts (one density, first seed). */
export function pictureLines(lines: readonly ResultLine[]): ResultLine[] {
  const out: ResultLine[] = [];
  for (const model of modelNames(lines)) {
    const label = pictureDensity(lines, model);
    const mine = lines.filter((l) => modelKey(l) === model && l.densityLabel === label);
    const seed = Math.min(...mine.map((l) => l.seed));
    out.push(...mine.filter((l) => l.seed === seed).sort((a, b) => a.index - b.index));
  }
  return out;
}

/**
 * The point `line` is compared with: the `fine` granularity's point of the same model, density
 * and seed in `pool`, or undefined when `pool` has none.
 *
 * @param pool Lines to search.
 * @param line The point to compare.
 * @param fine Label of the reference granularity, usually {@link fineGranularity}.
 * @returns The reference point, or undefined.
 */
export function fineReference(
  pool: readonly ResultLine[],
  line: ResultLine,
  fine: string,
): ResultLine | undefined {
  return pool.find((r) =>
    modelKey(r) === modelKey(line) && r.densityLabel === line.densityLabel &&
    r.seed === line.seed && r.granularity === fine
  );
}

/** `value / base` to 4 decimals; 0 when there is no base to compare with. */
function ratioTo(value: number, base: number): number {
  return base > 0 ? round(value / base, 4) : 0;
}

/** One bar of the per-layer memory reference chart. */
export interface RefsRow {
  panel: string;
  model: string;
  densityLabel: string;
  layer: string;
  layerIndex: number;
  granularity: string;
  accelerator: string;
  references: number;
  normalized: number;
}

/**
 * Memory references per layer, normalised to the fine-grained point at the same model,
 * density and seed, per accelerator.
 */
export function referenceRows(lines: readonly ResultLine[]): RefsRow[] {
  const fine = fineGranularity(lines);
  const picked = pictureLines(lines);
  const rows: RefsRow[] = [];
  for (const l of picked) {
    const ref = fineReference(picked, l, fine);
    if (!ref) continue;
    l.layers.forEach((layer, layerIndex) => {
      for (const [accelerator, cost] of Object.entries(layer.cost)) {
        const base = ref.layers[layerIndex]?.cost[accelerator]?.referencesTotal ?? 0;
        rows.push({
          panel: `${modelKey(l)} @ ${l.densityLabel}`,
          model: modelKey(l),
          densityLabel: l.densityLabel,
          layer: layer.name,
          layerIndex,
          granularity: l.granularity,
          accelerator,
          references: cost.referencesTotal,
          normalized: ratioTo(cost.referencesTotal, base),
        });
      }
    });
  }
  return rows;
}

/** Whole-network memory references normalised to fine-grained, for every point. */
export function totalReferenceRows(lines: readonly ResultLine[]): Array<{
  model: string;
  seed: number;
  densityLabel: string;
  granularity: string;
  accelerator: string;
  references: number;
  normalized: number;
}> {
  const fine = fineGranularity(lines);
  const rows = [];
  for (const l of lines) {
    const ref = fineReference(lines, l, fine);
    for (const [accelerator, cost] of Object.entries(l.metrics.cost)) {
      const base = ref?.metrics.cost[accelerator]?.referencesTotal ?? 0;
      rows.push({
        model: modelKey(l),
        seed: l.seed,
        densityLabel: l.densityLabel,
        granularity: l.granularity,
        accelerator,
        references: cost.referencesTotal,
        normalized: ratioTo(cost.referencesTotal, base),
      });
    }
  }
  return rows;
}

/** Energy by kind for the pictured points, in microjoules. */
export function energyRows(lines: readonly ResultLine[]): Array<{
  panel: string;
  granularity: string;
  accelerator: string;
  kind: string;
  energy: number;
}> {
  const rows = [];
  for (const l of pictureLines(lines)) {
    for (const [accelerator, cost] of Object.entries(l.metrics.cost)) {
      for (const [kind, pj] of Object.entries(cost.energy)) {
        rows.push({
          panel: `${modelKey(l)} @ ${l.densityLabel}`,
          granularity: l.granularity,
          accelerator,
          kind,
          energy: round(pj / 1e6, 6),
        });
      }
    }
  }
  return rows;
}

/**
 * Mask pictures as rectangles: per panel one `"pruned"` frame covering the whole picture, then
 * the kept cells as horizontal runs `[x, x2)` of row `y` (which keeps coarse masks small).
 */
export function maskRows(lines: readonly ResultLine[]): Array<{
  panel: string;
  granularity: string;
  cell: "pruned" | "kept";
  x: number;
  x2: number;
  y: number;
  y2: number;
}> {
  const rows = [];
  for (const l of pictureLines(lines)) {
    const pic = l.maskPicture;
    if (!pic) continue;
    const bits = decodeBits(pic.bits, pic.rows * pic.cols);
    const panel = `${modelKey(l)} ${pic.layer} @ ${l.densityLabel}`;
    const granularity = l.granularity;
    rows.push({
      panel,
      granularity,
      cell: "pruned" as const,
      x: 0,
      x2: pic.cols,
      y: 0,
      y2: pic.rows,
    });
    for (let y = 0; y < pic.rows; y++) {
      let x = 0;
      while (x < pic.cols) {
        if (!bits[y * pic.cols + x]) {
          x++;
          continue;
        }
        const start = x;
        while (x < pic.cols && bits[y * pic.cols + x]) x++;
        rows.push({ panel, granularity, cell: "kept" as const, x: start, x2: x, y, y2: y + 1 });
      }
    }
  }
  return rows;
}

/** Packs bits (0/1 bytes) MSB-first into base64. */
export function encodeBits(bits: Uint8Array): string {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3] |= 0x80 >> (i & 7);
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

/** Unpacks {@link encodeBits}. */
export function decodeBits(base64: string, count: number): Uint8Array {
  const text = atob(base64);
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = (text.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
  return bits;
}

/** One row of the iso-accuracy table. */
export interface IsoRow {
  model: string;
  granularity: string;
  drop: number;
  /** Highest sparsity (percent) with float top-1 within `drop` of the dense baseline. */
  maxSparsity: number | undefined;
  maxSparsityDensity: string | undefined;
  /** Smallest storage (bits, primary encoder) with quantised top-1 within `drop`. */
  minBits: number | undefined;
  minBitsDensity: string | undefined;
}

/**
 * The iso-accuracy table: per model, granularity and allowed drop (percentage points of top-1
 * below the dense float baseline), the highest sparsity reached with float weights and the
 * smallest storage reached with quantised weights (storage assumes quantised values).
 */
export function isoAccuracyRows(lines: readonly ResultLine[], options: ReportOptions): IsoRow[] {
  const encoder = primaryEncoder(lines, options);
  const rows: IsoRow[] = [];
  const acc = lines.filter((l) => l.metrics.accuracy);
  for (const model of modelNames(acc)) {
    for (const granularity of granularityLabels(acc.filter((l) => modelKey(l) === model))) {
      const mine = acc.filter((l) => modelKey(l) === model && l.granularity === granularity);
      for (const drop of options.drops) {
        const ok = (top1: number, base: number) => 100 * (base - top1) <= drop + 1e-9;
        const sparse = mine.filter((l) =>
          ok(l.metrics.accuracy!.top1, l.metrics.accuracy!.baselineTop1)
        )
          .sort((a, b) => b.metrics.sparsity - a.metrics.sparsity)[0];
        const small = mine.filter((l) =>
          ok(l.metrics.accuracy!.top1Quantized, l.metrics.accuracy!.baselineTop1) &&
          l.metrics.storage[encoder]
        ).sort((a, b) => a.metrics.storage[encoder].bits - b.metrics.storage[encoder].bits)[0];
        rows.push({
          model,
          granularity,
          drop,
          maxSparsity: sparse ? round(100 * sparse.metrics.sparsity, 2) : undefined,
          maxSparsityDensity: sparse?.densityLabel,
          minBits: small?.metrics.storage[encoder].bits,
          minBitsDensity: small?.densityLabel,
        });
      }
    }
  }
  return rows;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

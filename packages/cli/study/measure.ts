/**
 * Measures a pruned network: mask statistics, storage under every encoder, cost under every
 * accelerator model, per layer and in total, plus a picture of one layer's mask.
 *
 * @module
 */
import {
  type LayerCost,
  type LayerPruneResult,
  type LayerWeights,
  maskStats,
  type PluginInfo,
  UserError,
} from "@sparsegrain/core";
import type { Chosen } from "../config/catalog.ts";
import type { Study } from "../config/load.ts";
import { encodeBits } from "../report/data.ts";
import type {
  CostRecord,
  LayerRecord,
  MaskPicture,
  PluginRecord,
  StorageRecord,
} from "../results/schema.ts";

/** Runs a plugin method; errors from user plugins become {@link UserError}s naming the plugin. */
export function callPlugin<T>(chosen: Chosen<PluginInfo>, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (chosen.source === "builtin" || error instanceof UserError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `Plugin "${chosen.plugin.name}" from "${chosen.source}" failed ${what} (${
        message.split("\n")[0]
      }): fix the plugin`,
    );
  }
}

/** The plugins of a study, as recorded in every result line. */
export function pluginRecords(study: Study, granularityLabel: string): PluginRecord[] {
  const rec = (kind: string, c: Chosen<PluginInfo>): PluginRecord => ({
    kind,
    name: c.plugin.name,
    version: c.plugin.version,
    label: c.label,
    source: c.source,
  });
  const g = study.granularities.find((x) => x.label === granularityLabel);
  return [
    ...(g ? [rec("granularity", g)] : []),
    rec("saliency", study.saliency),
    ...study.encoders.map((e) => rec("encoder", e)),
    ...study.accelerators.map((a) => rec("accelerator", a)),
  ];
}

/** Totals and per-layer records of a measured network. */
export interface Measurement {
  readonly params: number;
  readonly kept: number;
  readonly macs: number;
  readonly storage: Record<string, StorageRecord>;
  readonly cost: Record<string, CostRecord>;
  readonly layers: LayerRecord[];
  readonly storageMs: number;
  readonly costMs: number;
}

function storageRecord(
  bits: {
    total: number;
    value: number;
    index: number;
    filler: number;
    header: number;
    padding: number;
  },
  fillers: number,
  kept: number,
  elements: number,
): StorageRecord {
  return {
    bits: bits.total,
    value: bits.value,
    index: bits.index,
    filler: bits.filler,
    header: bits.header,
    padding: bits.padding,
    fillers,
    bitsPerKept: kept > 0 ? bits.total / kept : 0,
    compression: bits.total > 0 ? (32 * elements) / bits.total : 0,
  };
}

function sumRecords(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function costRecord(costs: readonly LayerCost[]): CostRecord {
  const references = sumRecords(costs.map((c) => ({ ...c.references })));
  const energy = sumRecords(costs.map((c) => ({ ...c.energy })));
  const cycles = costs.reduce((a, c) => a + c.cycles, 0);
  const busy = costs.reduce((a, c) => a + c.utilisation * c.cycles, 0);
  return {
    macs: costs.reduce((a, c) => a + c.macs, 0),
    products: costs.reduce((a, c) => a + c.products, 0),
    cycles,
    utilisation: cycles > 0 ? busy / cycles : 0,
    references,
    referencesTotal: Object.values(references).reduce((a, b) => a + b, 0),
    dramBytes: costs.reduce((a, c) => a + c.dramBytes, 0),
    energy,
    totalEnergy: costs.reduce((a, c) => a + c.totalEnergy, 0),
  };
}

/**
 * Measures pruned layers: storage under every encoder and cost under every accelerator, with
 * `activation(layer)` the input activation density of each layer.
 */
export function measure(
  study: Pick<Study, "encoders" | "accelerators">,
  layers: readonly LayerWeights[],
  pruned: readonly LayerPruneResult[],
  activation: (layer: LayerWeights) => number,
): Measurement {
  const records: LayerRecord[] = [];
  const layerCosts: Record<string, LayerCost[]> = {};
  const totals: Record<string, { bits: Record<string, number>; fillers: number }> = {};
  let storageMs = 0;
  let costMs = 0;
  let params = 0;
  let kept = 0;
  layers.forEach((layer, i) => {
    const result = pruned[i];
    const stats = maskStats(layer, result.mask);
    params += stats.elements;
    kept += stats.kept;
    const storage: Record<string, StorageRecord> = {};
    let t0 = performance.now();
    for (const enc of study.encoders) {
      const encoded = callPlugin(
        enc,
        `to encode layer "${layer.name}"`,
        () => enc.plugin.encode(layer, result.mask, result.grains),
      );
      storage[enc.label] = storageRecord(encoded.bits, encoded.fillers, stats.kept, stats.elements);
      const total = totals[enc.label] ??= { bits: {}, fillers: 0 };
      total.bits = sumRecords([total.bits, { ...encoded.bits }]);
      total.fillers += encoded.fillers;
    }
    storageMs += performance.now() - t0;
    t0 = performance.now();
    const density = activation(layer);
    const cost: Record<string, CostRecord> = {};
    for (const acc of study.accelerators) {
      const c = callPlugin(
        acc,
        `to evaluate layer "${layer.name}"`,
        () => acc.plugin.evaluate(layer, result.mask, result.grains, { input: density }),
      );
      (layerCosts[acc.label] ??= []).push(c);
      cost[acc.label] = costRecord([c]);
    }
    costMs += performance.now() - t0;
    records.push({
      name: layer.name,
      kind: layer.kind,
      shape: [...layer.shape],
      elements: stats.elements,
      kept: stats.kept,
      density: stats.density,
      pruned: result.pruned,
      grains: result.grains.count,
      keptGrains: result.keptGrains,
      zeros: { ...stats.zeros },
      activationDensity: density,
      storage,
      cost,
    });
  });
  const storage: Record<string, StorageRecord> = {};
  for (const [label, t] of Object.entries(totals)) {
    const b = t.bits as Record<string, number>;
    storage[label] = storageRecord(
      {
        total: b.total ?? 0,
        value: b.value ?? 0,
        index: b.index ?? 0,
        filler: b.filler ?? 0,
        header: b.header ?? 0,
        padding: b.padding ?? 0,
      },
      t.fillers,
      kept,
      params,
    );
  }
  const cost: Record<string, CostRecord> = {};
  for (const [label, costs] of Object.entries(layerCosts)) cost[label] = costRecord(costs);
  const macs = Object.values(cost)[0]?.macs ?? 0;
  return { params, kept, macs, storage, cost, layers: records, storageMs, costMs };
}

/** The layer pictured for a model: `report.maskLayer` if present, else the second conv layer. */
export function pictureLayer(
  layers: readonly LayerWeights[],
  preferred: string | undefined,
): LayerWeights | undefined {
  if (preferred) {
    const found = layers.find((l) => l.name === preferred);
    if (found) return found;
  }
  const convs = layers.filter((l) => l.kind === "conv2d" && l.shape[0] * l.shape[1] > 1);
  return convs[1] ?? convs[0] ?? layers[1] ?? layers[0];
}

/** A cropped picture of a layer's mask (see {@link MaskPicture}). */
export function maskPicture(layer: LayerWeights, mask: Uint8Array, crop: number): MaskPicture {
  const { shape } = layer;
  if (shape.length === 4) {
    const [kh, kw, cin, cout] = shape;
    const filters = Math.min(crop, cout);
    const channels = Math.min(crop, cin);
    const rows = filters * kh;
    const cols = channels * kw;
    const bits = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const f = Math.floor(r / kh);
      const h = r % kh;
      for (let c = 0; c < cols; c++) {
        const i = Math.floor(c / kw);
        const w = c % kw;
        bits[r * cols + c] = mask[((h * kw + w) * cin + i) * cout + f];
      }
    }
    return { layer: layer.name, rows, cols, kernel: [kh, kw], bits: encodeBits(bits) };
  }
  const [inputs, outputs] = shape;
  const rows = Math.min(crop * 3, outputs);
  const cols = Math.min(crop * 3, inputs);
  const bits = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) bits[r * cols + c] = mask[c * outputs + r];
  }
  return { layer: layer.name, rows, cols, kernel: [1, 1], bits: encodeBits(bits) };
}

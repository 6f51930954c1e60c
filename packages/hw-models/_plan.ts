import { LayerError } from "@sparsegrain/core";
import type { Grains } from "@sparsegrain/core";
import { axisTables } from "./_axis.ts";
import type { AxisTables } from "./_axis.ts";
import type { Machine } from "./_machine.ts";
import type { Problem } from "./_problem.ts";

/** How the products of one stored weight window and one activation reach the accumulators. */
export type MergeMode = "none" | "rows" | "window";

/**
 * Everything about a layer on a machine that does not depend on the mask's contents: geometry
 * tables, the output-channel grouping (Kc), the weight streams and the PE tile areas.
 *
 * Weights stream per input channel and output-channel chunk. A stream is `(a3, chunk)`: tensor
 * index `a3` on axis 2 and a chunk of at most Kc consecutive indices on axis 3 inside one conv
 * group. Inside a stream, weights are ordered by tensor position `(r, s, a4)`; a grain fragment
 * (the part of a grain in one stream) is one entry with one index.
 */
export interface Plan {
  readonly problem: Problem;
  readonly machine: Machine;
  readonly rows: AxisTables;
  readonly cols: AxisTables;
  /** Grain block extents on the `[R, S, A3, A4]` view. */
  readonly block: readonly [number, number, number, number];
  /** True when every fragment is one element (fine-grained counting). */
  readonly elementwise: boolean;
  readonly mergeMode: MergeMode;
  /** Output channels per chunk (Kc), after capping at the outputs of one conv group. */
  readonly kc: number;
  /** Chunks along axis 3, and the chunk of every axis-3 index. */
  readonly chunks: number;
  readonly chunkStart: Int32Array;
  readonly chunkOf: Int32Array;
  /** Pieces along axis 3: a grain block cut by chunk boundaries. */
  readonly pieces: number;
  readonly pieceOf: Int32Array;
  readonly pieceStart: Int32Array;
  readonly pieceChunk: Int32Array;
  /** Streams: `a3 * chunks + chunk`. */
  readonly streams: number;
  /** Input channel read by every stream. */
  readonly streamChannel: Int32Array;
  /** Barrier unit of every stream: PEs wait for each other at the end of a unit. */
  readonly streamUnit: Int32Array;
  readonly units: number;
  /** Output channels and what liveness is tracked per: A4 (conv, dense) or A3 x A4 (depthwise). */
  readonly liveSlots: number;
  /** `hits[r] * hits[s]`: outputs met by tap `(r, s)`. */
  readonly tapHits: Float64Array;
  /** Per window block `(rb, sb)`: accumulator entries updated per stored window, density 1. */
  readonly windowEntries: Float64Array;
  /** Per window block `(rb, sb)`: merged accumulator accesses per stored window, density 1. */
  readonly windowAccesses: Float64Array;
  /** Distinct PE tile areas (plane positions), ascending, and how many PEs have each. */
  readonly peAreas: Float64Array;
  readonly peCounts: Float64Array;
  /** Plane positions (input plus counted padding). */
  readonly planeArea: number;
  /** Sum over PEs of accumulator footprint entries per output channel. */
  readonly footprintSum: number;
  /** Largest PE accumulator footprint per output channel. */
  readonly footprintMax: number;
  /** Footprint entries that belong to another PE's outputs (halo), per output channel. */
  readonly halo: number;
}

/** Picks the merge mode a policy allows for windows of `br` kernel rows by `bs` columns. */
export function mergeModeOf(policy: Machine["merge"], br: number, bs: number): MergeMode {
  switch (policy) {
    case "none":
      return "none";
    case "rows":
      return bs > 1 ? "rows" : "none";
    case "kernels":
      return br > 1 ? "window" : "none";
    case "auto":
      return br > 1 ? "window" : bs > 1 ? "rows" : "none";
  }
}

/** Block extents of `grains` on the `[R, S, A3, A4]` view, or all ones without a block layout. */
export function blockOf(
  problem: Problem,
  layerShape: readonly number[],
  grains: Grains,
): [number, number, number, number] {
  const layout = grains.block;
  if (layout === undefined) return [1, 1, 1, 1];
  const sameShape = layout.shape.length === layerShape.length &&
    layout.shape.every((d, i) => d === layerShape[i]);
  if (!sameShape) {
    throw new LayerError(
      problem.name,
      "grains",
      `the grains tile shape [${layout.shape}] but the weights have shape [${layerShape}]: partition this layer's weights`,
    );
  }
  const b = layout.block;
  return problem.kind === "dense" ? [1, 1, b[0], b[1]] : [b[0], b[1], b[2], b[3]];
}

/** Builds the plan of a layer for a machine and a grain block. */
export function buildPlan(
  problem: Problem,
  machine: Machine,
  block: readonly [number, number, number, number],
): Plan {
  const p = problem;
  const [br, bs, , bk] = block;
  const rows = axisTables(
    machine.countPadding ? p.H + p.padRows : p.H,
    machine.countPadding ? 0 : p.padTop,
    p.P,
    p.R,
    p.strideH,
    p.dilationH,
    br,
    machine.peRows,
  );
  const cols = axisTables(
    machine.countPadding ? p.W + p.padCols : p.W,
    machine.countPadding ? 0 : p.padLeft,
    p.Q,
    p.S,
    p.strideW,
    p.dilationW,
    bs,
    machine.peCols,
  );
  const footprintMax = Math.max(...rows.footprint) * Math.max(...cols.footprint);
  const entries = machine.accumulatorBanks * machine.accumulatorBankEntries;
  const perGroup = p.kind === "depthwise" ? p.A4 : p.A4 / p.groups;
  let kc: number;
  if (machine.kc === "auto") {
    kc = Math.floor(entries / Math.max(footprintMax, 1));
    if (kc < 1) {
      throw new LayerError(
        p.name,
        "geometry",
        `the largest PE tile's accumulator footprint (tile plus halo) is ${footprintMax} entries per output channel but a PE has ${entries} (${machine.accumulatorBanks} banks x ${machine.accumulatorBankEntries}): raise accumulatorBanks or accumulatorBankEntries to at least ${footprintMax} entries, or use more PEs`,
      );
    }
  } else {
    kc = machine.kc;
    if (kc * footprintMax > entries) {
      throw new LayerError(
        p.name,
        "kc",
        `${kc} output channels need ${
          kc * footprintMax
        } accumulator entries per PE (footprint ${footprintMax} each) but a PE has ${entries}: use kc <= ${
          Math.floor(entries / Math.max(footprintMax, 1))
        } or "auto"`,
      );
    }
  }
  kc = Math.min(kc, perGroup);

  // Chunks along axis 3: at most kc indices, never across a conv group.
  const A4 = p.A4;
  const chunkOf = new Int32Array(A4);
  const starts: number[] = [];
  const groupSpan = p.kind === "depthwise" ? A4 : perGroup;
  for (let a4 = 0; a4 < A4; a4++) {
    if ((a4 % groupSpan) % kc === 0) starts.push(a4);
    chunkOf[a4] = starts.length - 1;
  }
  const chunks = starts.length;
  const chunkStart = Int32Array.from([...starts, A4]);
  // Pieces: grain blocks along axis 3 cut at chunk boundaries.
  const pieceOf = new Int32Array(A4);
  const pieceStarts: number[] = [];
  for (let a4 = 0; a4 < A4; a4++) {
    if (a4 % bk === 0 || chunkOf[a4] !== chunkOf[a4 - 1]) pieceStarts.push(a4);
    pieceOf[a4] = pieceStarts.length - 1;
  }
  const pieces = pieceStarts.length;
  const pieceStart = Int32Array.from([...pieceStarts, A4]);
  const pieceChunk = Int32Array.from(pieceStarts, (a4) => chunkOf[a4]);

  const streams = p.A3 * chunks;
  const streamChannel = new Int32Array(streams);
  const streamUnit = new Int32Array(streams);
  for (let a3 = 0; a3 < p.A3; a3++) {
    for (let c = 0; c < chunks; c++) {
      const s = a3 * chunks + c;
      if (p.kind === "depthwise") {
        streamChannel[s] = a3;
        streamUnit[s] = s;
      } else {
        const group = Math.floor(chunkStart[c] / perGroup);
        streamChannel[s] = group * p.A3 + a3;
        streamUnit[s] = c;
      }
    }
  }
  const units = p.kind === "depthwise" ? streams : chunks;

  const tapHits = new Float64Array(p.R * p.S);
  for (let r = 0; r < p.R; r++) {
    for (let s = 0; s < p.S; s++) tapHits[r * p.S + s] = rows.hits[r] * cols.hits[s];
  }
  const mergeMode = mergeModeOf(machine.merge, br, bs);
  const width = machine.accumulatorPortWidth;
  const windowEntries = new Float64Array(rows.blocks * cols.blocks);
  const windowAccesses = new Float64Array(rows.blocks * cols.blocks);
  for (let rb = 0; rb < rows.blocks; rb++) {
    const lr = rows.landing[rb];
    for (let sb = 0; sb < cols.blocks; sb++) {
      const lc = cols.landing[sb];
      let accesses = 0;
      for (let a = 0; a < lr.n.length; a++) {
        for (let b = 0; b < lc.n.length; b++) {
          const f = mergeMode === "none"
            ? lr.n[a] * lc.n[b]
            : mergeMode === "rows"
            ? lr.n[a] * Math.ceil(lc.span[b] / width)
            : Math.ceil((lr.span[a] * lc.span[b]) / width);
          accesses += lr.count[a] * lc.count[b] * f;
        }
      }
      windowEntries[rb * cols.blocks + sb] = rows.blockHits[rb] * cols.blockHits[sb];
      windowAccesses[rb * cols.blocks + sb] = accesses;
    }
  }

  const areaCounts = new Map<number, number>();
  for (const h of rows.tileSizes) {
    for (const w of cols.tileSizes) {
      if (h * w > 0) areaCounts.set(h * w, (areaCounts.get(h * w) ?? 0) + 1);
    }
  }
  const areas = [...areaCounts.keys()].sort((a, b) => a - b);
  let fpRows = 0, fpCols = 0;
  for (const f of rows.footprint) fpRows += f;
  for (const f of cols.footprint) fpCols += f;
  const footprintSum = fpRows * fpCols;

  return {
    problem,
    machine,
    rows,
    cols,
    block: [block[0], block[1], block[2], block[3]],
    elementwise: br === 1 && bs === 1 && bk === 1,
    mergeMode,
    kc,
    chunks,
    chunkStart,
    chunkOf,
    pieces,
    pieceOf,
    pieceStart,
    pieceChunk,
    streams,
    streamChannel,
    streamUnit,
    units,
    liveSlots: p.kind === "depthwise" ? p.A3 * p.A4 : p.A4,
    tapHits,
    windowEntries,
    windowAccesses,
    peAreas: Float64Array.from(areas),
    peCounts: Float64Array.from(areas, (a) => areaCounts.get(a)!),
    planeArea: rows.extent * cols.extent,
    footprintSum,
    footprintMax,
    halo: footprintSum - rows.reach * cols.reach,
  };
}

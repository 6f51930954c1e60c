/**
 * The slow reference simulator, for tests only (not exported by the package). It enumerates
 * every weight, every plane position and every product of a small layer and counts what the
 * machine does, without any of the closed form's tables, so that tests can check the closed form
 * exactly. Activation densities are applied afterwards by the shared `finishCost`, so the
 * comparison is exact: both sides produce the same integer tallies.
 */
import type { Grains, LayerWeights, Mask } from "@sparsegrain/core";
import type { Machine } from "./_machine.ts";
import { mergeModeOf } from "./_plan.ts";
import { normalizeProblem } from "./_problem.ts";
import type { Tallies } from "./_tally.ts";

/** Geometry facts the simulator finds by visiting every PE tile. */
export interface SimulatedGeometry {
  readonly peAreas: number[];
  readonly peCounts: number[];
  readonly planeArea: number;
  readonly footprintSum: number;
  readonly footprintMax: number;
  readonly halo: number;
}

/** What the simulator returns. */
export interface Simulation {
  readonly tallies: Tallies;
  readonly geometry: SimulatedGeometry;
}

interface Fragment {
  readonly stream: number;
  readonly elements: number[];
  kept: number;
}

function split(extent: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(extent / parts) + (i < extent % parts ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

/**
 * Simulates `layer` with `mask` and `grains` on `machine` with `kc` output channels per chunk.
 * With `dense: true` every weight is streamed, kernels count as whole grains and no indices are
 * read (the dense machine).
 */
export function simulate(
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  machine: Machine,
  kc: number,
  dense = false,
): Simulation {
  const p = normalizeProblem(layer);
  const { R, S, A3, A4 } = p;
  const rowsExtent = machine.countPadding ? p.H + p.padRows : p.H;
  const colsExtent = machine.countPadding ? p.W + p.padCols : p.W;
  const rowOffset = machine.countPadding ? 0 : p.padTop;
  const colOffset = machine.countPadding ? 0 : p.padLeft;
  // The output a product of plane position (y, x) and tap (r, s) lands on, or undefined.
  const land = (y: number, x: number, r: number, s: number): [number, number] | undefined => {
    const ty = y + rowOffset - r * p.dilationH;
    const tx = x + colOffset - s * p.dilationW;
    if (ty < 0 || tx < 0 || ty % p.strideH !== 0 || tx % p.strideW !== 0) return undefined;
    const out: [number, number] = [ty / p.strideH, tx / p.strideW];
    return out[0] < p.P && out[1] < p.Q ? out : undefined;
  };

  // Streams: input channel a3 and a chunk of output channels inside one group.
  const perGroup = p.kind === "depthwise" ? A4 : A4 / p.groups;
  const chunksPerGroup = Math.ceil(perGroup / kc);
  const chunks = p.kind === "depthwise" ? chunksPerGroup : p.groups * chunksPerGroup;
  const streams = A3 * chunks;
  const chunkOf = (a4: number): number =>
    Math.floor(a4 / perGroup) * chunksPerGroup + Math.floor((a4 % perGroup) / kc);
  const channelOf = (a3: number, a4: number): number =>
    p.kind === "depthwise" ? a3 : Math.floor(a4 / perGroup) * A3 + a3;
  const outputOf = (a3: number, a4: number): number => p.kind === "depthwise" ? a3 * A4 + a4 : a4;
  const coords = (e: number): [number, number, number, number] => [
    Math.floor(e / (S * A3 * A4)),
    Math.floor(e / (A3 * A4)) % S,
    Math.floor(e / A4) % A3,
    e % A4,
  ];

  // Fragments: a grain's elements inside one stream.
  const block = dense
    ? [R, S, 1, 1]
    : grains.block === undefined
    ? [1, 1, 1, 1]
    : p.kind === "dense"
    ? [1, 1, grains.block.block[0], grains.block.block[1]]
    : [...grains.block.block];
  const grainOf = dense
    ? Int32Array.from({ length: p.elements }, (_, e) => {
      const [, , a3, a4] = coords(e);
      return a3 * A4 + a4;
    })
    : block.every((b) => b === 1)
    ? Int32Array.from({ length: p.elements }, (_, e) => e)
    : grains.elementGrain();
  const fragments = new Map<number, Fragment>();
  for (let e = 0; e < p.elements; e++) {
    const [, , a3, a4] = coords(e);
    const stream = a3 * chunks + chunkOf(a4);
    const key = grainOf[e] * streams + stream;
    let f = fragments.get(key);
    if (f === undefined) {
      f = { stream, elements: [], kept: 0 };
      fragments.set(key, f);
    }
    f.elements.push(e);
    if (dense || mask[e] !== 0) f.kept++;
  }

  const channels = p.inputChannels;
  const kept = new Float64Array(channels);
  const products = new Float64Array(channels);
  const accumulations = new Float64Array(channels);
  const accesses = new Float64Array(channels);
  const streamed = new Float64Array(streams);
  const fillers = new Float64Array(streams);
  const indexEntries = new Float64Array(streams);
  const liveOutput = new Set<number>();
  const mode = mergeModeOf(machine.merge, block[0], block[1]);
  const width = machine.accumulatorPortWidth;

  // Products: every kept weight with every plane position.
  for (let e = 0; e < p.elements; e++) {
    if (!dense && mask[e] === 0) continue;
    const [r, s, a3, a4] = coords(e);
    const ci = channelOf(a3, a4);
    kept[ci]++;
    for (let y = 0; y < rowsExtent; y++) {
      for (let x = 0; x < colsExtent; x++) if (land(y, x, r, s)) products[ci]++;
    }
  }

  // Stored fragments: every element streamed, accumulator updates merged per window.
  const byStream: Fragment[][] = Array.from({ length: streams }, () => []);
  for (const f of fragments.values()) {
    byStream[f.stream].push(f);
    if (f.kept === 0) continue;
    streamed[f.stream] += f.elements.length;
    const windows = new Map<number, number[]>();
    for (const e of f.elements) {
      const [, , a3, a4] = coords(e);
      liveOutput.add(outputOf(a3, a4));
      const list = windows.get(a4) ?? [];
      list.push(e);
      windows.set(a4, list);
    }
    for (const elements of windows.values()) {
      const [, , a3, a4] = coords(elements[0]);
      const ci = channelOf(a3, a4);
      for (let y = 0; y < rowsExtent; y++) {
        for (let x = 0; x < colsExtent; x++) {
          const landed: [number, number, number][] = [];
          for (const e of elements) {
            const [r, s] = coords(e);
            const o = land(y, x, r, s);
            if (o) landed.push([r, o[0], o[1]]);
          }
          if (landed.length === 0) continue;
          accumulations[ci] += landed.length;
          if (mode === "none") {
            accesses[ci] += landed.length;
          } else if (mode === "rows") {
            const byRow = new Map<number, number[]>();
            for (const [r, , q] of landed) byRow.set(r, [...(byRow.get(r) ?? []), q]);
            for (const qs of byRow.values()) {
              accesses[ci] += Math.ceil((Math.max(...qs) - Math.min(...qs) + 1) / width);
            }
          } else {
            const ps = landed.map((l) => l[1]), qs = landed.map((l) => l[2]);
            const box = (Math.max(...ps) - Math.min(...ps) + 1) *
              (Math.max(...qs) - Math.min(...qs) + 1);
            accesses[ci] += Math.ceil(box / width);
          }
        }
      }
    }
  }

  // Index entries and fillers: fragments of each stream in tensor order (r, s, a4).
  if (!dense) {
    for (let st = 0; st < streams; st++) {
      const order = byStream[st].map((f) => {
        const [r, s, , a4] = coords(Math.min(...f.elements));
        return { f, key: (r * S + s) * A4 + a4 };
      }).sort((a, b) => a.key - b.key);
      let gap = 0;
      for (const { f } of order) {
        if (f.kept === 0) {
          gap++;
          continue;
        }
        const fill = Math.floor(gap / 2 ** machine.indexBits);
        fillers[st] += fill;
        indexEntries[st] += 1 + fill;
        gap = 0;
      }
    }
  }
  const entries = new Float64Array(streams);
  for (let st = 0; st < streams; st++) entries[st] = streamed[st] + fillers[st];

  // PE tiles: areas and accumulator footprints.
  const rowTiles = split(rowsExtent, machine.peRows);
  const colTiles = split(colsExtent, machine.peCols);
  const areas = new Map<number, number>();
  const union = new Set<number>();
  let footprintSum = 0, footprintMax = 0;
  for (const [y0, y1] of rowTiles) {
    for (const [x0, x1] of colTiles) {
      const area = (y1 - y0) * (x1 - x0);
      if (area > 0) areas.set(area, (areas.get(area) ?? 0) + 1);
      const seen = new Set<number>();
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          for (let r = 0; r < R; r++) {
            for (let s = 0; s < S; s++) {
              const o = land(y, x, r, s);
              if (o) seen.add(o[0] * p.Q + o[1]);
            }
          }
        }
      }
      for (const o of seen) union.add(o);
      footprintSum += seen.size;
      footprintMax = Math.max(footprintMax, seen.size);
    }
  }
  const peAreas = [...areas.keys()].sort((a, b) => a - b);
  return {
    tallies: {
      entries,
      streamed,
      indexEntries,
      fillers,
      kept,
      products,
      accumulations,
      accesses,
      liveOutputs: liveOutput.size,
    },
    geometry: {
      peAreas,
      peCounts: peAreas.map((a) => areas.get(a)!),
      planeArea: rowsExtent * colsExtent,
      footprintSum,
      footprintMax,
      halo: footprintSum - union.size,
    },
  };
}

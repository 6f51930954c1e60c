/**
 * Geometry of one spatial axis (rows or columns) of the input-stationary dataflow: which taps
 * of the kernel meet which plane positions, how the plane is tiled over the PE grid, and the
 * accumulator footprint of every tile. Everything a layer's counts need from its geometry
 * factorises into a rows table and a columns table.
 */
export interface AxisTables {
  /** Plane extent: the input, plus the zero padding when padding taps are counted. */
  readonly extent: number;
  /** Output extent. */
  readonly outputs: number;
  /** For every tap: plane positions whose product lands on a valid output (= outputs met). */
  readonly hits: Int32Array;
  /** Kernel taps grouped in blocks of the grain's extent along this axis. */
  readonly blocks: number;
  /** First tap of every block (length blocks + 1). */
  readonly blockStart: Int32Array;
  /** Sum of hits over every block's taps. */
  readonly blockHits: Float64Array;
  /**
   * For every block, the distinct (taps landing, span of outputs landed on) pairs over the plane
   * positions, and how many positions give each pair. Used by the accumulator merging rules.
   */
  readonly landing: readonly Landing[];
  /** Plane positions held by every PE tile along this axis (balanced split). */
  readonly tileSizes: Int32Array;
  /** Distinct outputs every tile's products land on (its accumulator footprint with halos). */
  readonly footprint: Int32Array;
  /** Distinct outputs landed on by any tile. */
  readonly reach: number;
}

/** Distinct (n, span) pairs of one block, with multiplicities. */
export interface Landing {
  /** Taps of the block whose product lands on an output. */
  readonly n: Int32Array;
  /** Largest minus smallest output index landed on, plus one. */
  readonly span: Int32Array;
  /** Plane positions with this pair. */
  readonly count: Float64Array;
}

/**
 * Builds the tables of one axis. A plane position `y` and a tap `r` produce output
 * `p = (y + offset - r * dilation) / stride` when that is a whole number in `[0, outputs)`.
 */
export function axisTables(
  extent: number,
  offset: number,
  outputs: number,
  taps: number,
  stride: number,
  dilation: number,
  blockExtent: number,
  tiles: number,
): AxisTables {
  const outputOf = (y: number, r: number): number => {
    const t = y + offset - r * dilation;
    if (t < 0 || t % stride !== 0) return -1;
    const p = t / stride;
    return p < outputs ? p : -1;
  };
  const hits = new Int32Array(taps);
  for (let r = 0; r < taps; r++) {
    let n = 0;
    for (let y = 0; y < extent; y++) if (outputOf(y, r) >= 0) n++;
    hits[r] = n;
  }
  const blocks = Math.ceil(taps / blockExtent);
  const blockStart = new Int32Array(blocks + 1);
  const blockHits = new Float64Array(blocks);
  const landing: Landing[] = [];
  for (let b = 0; b < blocks; b++) {
    const r0 = b * blockExtent;
    const r1 = Math.min(r0 + blockExtent, taps);
    blockStart[b] = r0;
    blockStart[b + 1] = r1;
    for (let r = r0; r < r1; r++) blockHits[b] += hits[r];
    const pairs = new Map<number, number>();
    for (let y = 0; y < extent; y++) {
      let n = 0, lo = Infinity, hi = -Infinity;
      for (let r = r0; r < r1; r++) {
        const p = outputOf(y, r);
        if (p < 0) continue;
        n++;
        if (p < lo) lo = p;
        if (p > hi) hi = p;
      }
      if (n === 0) continue;
      const key = n * (outputs + 1) + (hi - lo + 1);
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    const keys = [...pairs.keys()].sort((a, b) => a - b);
    landing.push({
      n: Int32Array.from(keys, (k) => Math.floor(k / (outputs + 1))),
      span: Int32Array.from(keys, (k) => k % (outputs + 1)),
      count: Float64Array.from(keys, (k) => pairs.get(k)!),
    });
  }
  const tileSizes = new Int32Array(tiles);
  const base = Math.floor(extent / tiles);
  for (let i = 0; i < tiles; i++) tileSizes[i] = base + (i < extent % tiles ? 1 : 0);
  const footprint = new Int32Array(tiles);
  const reached = new Uint8Array(outputs);
  let y0 = 0;
  for (let i = 0; i < tiles; i++) {
    const seen = new Uint8Array(outputs);
    for (let y = y0; y < y0 + tileSizes[i]; y++) {
      for (let r = 0; r < taps; r++) {
        const p = outputOf(y, r);
        if (p >= 0 && seen[p] === 0) {
          seen[p] = 1;
          reached[p] = 1;
          footprint[i]++;
        }
      }
    }
    y0 += tileSizes[i];
  }
  let reach = 0;
  for (let p = 0; p < outputs; p++) reach += reached[p];
  return {
    extent,
    outputs,
    hits,
    blocks,
    blockStart,
    blockHits,
    landing,
    tileSizes,
    footprint,
    reach,
  };
}

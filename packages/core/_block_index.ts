import type { BlockLayout } from "./types.ts";

/**
 * Precomputed per-axis grain offsets of a block layout, padded to rank 4, so that the grain of
 * element `(a, b, c, d)` is `offA[a] + offB[b] + offC[c] + offD[d]`.
 */
export interface BlockIndex {
  readonly dims: readonly [number, number, number, number];
  readonly offsets: readonly [Int32Array, Int32Array, Int32Array, Int32Array];
  readonly grid: readonly [number, number, number, number];
  readonly block: readonly [number, number, number, number];
  /** True when every block is one element (grain index = element index). */
  readonly identity: boolean;
}

const cache = new WeakMap<BlockLayout, BlockIndex>();

/** Builds (once per layout object) the rank-4 offset tables of a block layout. */
export function blockIndex(layout: BlockLayout): BlockIndex {
  const cached = cache.get(layout);
  if (cached) return cached;
  const pad = 4 - layout.shape.length;
  const dims = [1, 1, 1, 1] as [number, number, number, number];
  const block = [1, 1, 1, 1] as [number, number, number, number];
  for (let i = 0; i < layout.shape.length; i++) {
    dims[pad + i] = layout.shape[i];
    block[pad + i] = layout.block[i];
  }
  const grid = dims.map((d, i) => Math.ceil(d / block[i])) as [number, number, number, number];
  const strides = [grid[1] * grid[2] * grid[3], grid[2] * grid[3], grid[3], 1];
  const offsets = dims.map((d, axis) => {
    const table = new Int32Array(d);
    for (let i = 0; i < d; i++) table[i] = Math.floor(i / block[axis]) * strides[axis];
    return table;
  }) as [Int32Array, Int32Array, Int32Array, Int32Array];
  const index: BlockIndex = {
    dims,
    offsets,
    grid,
    block,
    identity: block.every((b) => b === 1),
  };
  cache.set(layout, index);
  return index;
}

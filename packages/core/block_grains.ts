import { blockIndex } from "./_block_index.ts";
import type { BlockLayout, GrainGroups, Grains } from "./types.ts";

/**
 * Partitions a tensor of `shape` into a regular tiling of blocks of extent `block` per axis.
 * Grains are numbered row-major over the grid of blocks; inside a grain, elements are listed
 * row-major. Blocks at the far edge of an axis that `block` does not divide are smaller. Every
 * built-in granularity is such a tiling: 0-D is all ones, a 1-D kernel row of a conv is
 * `[1, kw, 1, 1]`, a 2-D kernel `[kh, kw, 1, 1]`, a 3-D filter `[kh, kw, cin, 1]`.
 *
 * @param shape the tensor shape (rank 1 to 4)
 * @param block block extent per axis, each in `1..shape[axis]`
 * @param groups optional N:M constraint passed through to selection
 * @returns the grains
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * const kernels = blockGrains([3, 3, 2, 4], [3, 3, 1, 1]); // 2-D kernels of a 3x3 conv
 * assert(kernels.count === 8 && kernels.maxSize === 9);
 * ```
 */
export function blockGrains(
  shape: readonly number[],
  block: readonly number[],
  groups?: GrainGroups,
): Grains {
  if (shape.length < 1 || shape.length > 4 || block.length !== shape.length) {
    throw new RangeError(
      `Cannot tile shape [${shape}] with block [${block}]: give one block extent per axis, rank 1 to 4`,
    );
  }
  for (let i = 0; i < shape.length; i++) {
    if (!Number.isInteger(block[i]) || block[i] < 1 || block[i] > shape[i]) {
      throw new RangeError(
        `Cannot tile shape [${shape}] with block [${block}]: axis ${i} needs a block extent in 1..${
          shape[i]
        }`,
      );
    }
  }
  const layout: BlockLayout = { shape: [...shape], block: [...block] };
  const index = blockIndex(layout);
  const [A, B, C, D] = index.dims;
  const count = index.grid[0] * index.grid[1] * index.grid[2] * index.grid[3];
  const elements = A * B * C * D;
  return {
    count,
    elements,
    maxSize: index.block[0] * index.block[1] * index.block[2] * index.block[3],
    block: layout,
    groups,
    elementsOf(grain: number, out: Int32Array): number {
      const [, g1, g2, g3] = index.grid;
      const [b0, b1, b2, b3] = index.block;
      const a0 = Math.floor(grain / (g1 * g2 * g3)) * b0;
      const a1 = (Math.floor(grain / (g2 * g3)) % g1) * b1;
      const a2 = (Math.floor(grain / g3) % g2) * b2;
      const a3 = (grain % g3) * b3;
      let n = 0;
      for (let a = a0; a < Math.min(a0 + b0, A); a++) {
        for (let b = a1; b < Math.min(a1 + b1, B); b++) {
          for (let c = a2; c < Math.min(a2 + b2, C); c++) {
            const base = ((a * B + b) * C + c) * D;
            for (let d = a3; d < Math.min(a3 + b3, D); d++) out[n++] = base + d;
          }
        }
      }
      return n;
    },
    elementGrain(): Int32Array {
      const out = new Int32Array(elements);
      if (index.identity) {
        for (let e = 0; e < elements; e++) out[e] = e;
        return out;
      }
      const [oA, oB, oC, oD] = index.offsets;
      let e = 0;
      for (let a = 0; a < A; a++) {
        for (let b = 0; b < B; b++) {
          const gab = oA[a] + oB[b];
          for (let c = 0; c < C; c++) {
            const g = gab + oC[c];
            for (let d = 0; d < D; d++) out[e++] = g + oD[d];
          }
        }
      }
      return out;
    },
  };
}

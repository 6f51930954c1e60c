import assert from "node:assert/strict";
import { ConfigError, grainSizes } from "@sparsegrain/core";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { blockGranularity } from "./block.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("blockGranularity() tiles with smaller edge blocks and clips large extents", () => {
  const grains = blockGranularity({ block: [2, 2, 3, 9] }).partition(
    shapeOnly("c", "conv2d", [3, 3, 4, 5]),
  )!;
  assert.deepEqual(grains.block?.block, [2, 2, 3, 5]); // 9 clipped to cout = 5
  assert.equal(grains.count, 2 * 2 * 2 * 1);
  const sizes = grainSizes(grains);
  assert.deepEqual([...sizes], [60, 20, 30, 10, 30, 10, 15, 5]);
  assert.equal(sizes.reduce((a, b) => a + b, 0), 180);
});

Deno.test("blockGranularity() reads a rank-2 block as [1, 1, bin, bout] and uses it on dense layers", () => {
  const g = blockGranularity({ block: [4, 2] });
  assert.deepEqual(g.partition(shapeOnly("c", "conv2d", [3, 3, 8, 4]))!.block?.block, [1, 1, 4, 2]);
  assert.deepEqual(g.partition(shapeOnly("fc", "dense", [8, 4]))!.block?.block, [4, 2]);
  assert.deepEqual(
    blockGranularity({ block: [3, 3, 2, 2] }).partition(shapeOnly("fc", "dense", [8, 4]))!.block
      ?.block,
    [2, 2],
  );
  assert.deepEqual(blockGranularity().options?.block, [1, 1, 4, 4]);
});

Deno.test("blockGranularity() refuses malformed blocks", () => {
  for (const block of [[1, 2, 3], [0, 1, 1, 1], [1, 1.5], "4x4"]) {
    assert.throws(
      () => blockGranularity({ block: block as number[] }),
      (e: unknown) => e instanceof ConfigError && e.field === "block.block",
    );
  }
});

Deno.test("blockGranularity() conforms to the core kit", () => {
  assertGranularityConforms(blockGranularity());
  assertGranularityConforms(blockGranularity({ block: [2, 2, 3, 3] }));
  assertGranularityConforms(blockGranularity({ block: [3, 1] }));
});

import assert from "node:assert/strict";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { filterGranularity } from "./filter.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("filterGranularity() makes one grain per output channel", () => {
  const grains = filterGranularity().partition(shapeOnly("c", "conv2d", [3, 3, 2, 4]))!;
  assert.equal(grains.count, 4);
  assert.equal(grains.maxSize, 18);
  const out = new Int32Array(18);
  grains.elementsOf(3, out);
  assert.ok(out.every((e) => e % 4 === 3)); // output channel is the fastest axis
  const neurons = filterGranularity().partition(shapeOnly("fc", "dense", [5, 3]))!;
  assert.equal(neurons.count, 3);
  assert.equal(neurons.elementsOf(1, new Int32Array(5)), 5);
});

Deno.test("filterGranularity() conforms to the core kit", () => {
  assertGranularityConforms(filterGranularity());
  assertGranularityConforms(filterGranularity({ pointwise: "skip", dense: "element" }));
});

import assert from "node:assert/strict";
import { pruneLayers, reduceGrains } from "@sparsegrain/core";
import type { SaliencyMetric } from "@sparsegrain/core";
import { assertGranularityConforms, sampleLayers } from "@sparsegrain/core/testing";
import { filterSliceGranularity, slice4 } from "./filter_slice_granularity.ts";

Deno.test("slice4 passes the conformance kit", () => {
  assertGranularityConforms(slice4);
  assertGranularityConforms(filterSliceGranularity(3)); // slices that do not divide cin
});

Deno.test("slice4 prunes whole slices of 4 input channels", () => {
  const l1: SaliencyMetric = {
    name: "l1",
    version: "1.0.0",
    describe: () => "L1",
    score: (layer, grains) => reduceGrains(layer.values, grains, "sum-abs"),
  };
  const conv = sampleLayers(1).find((l) => l.name === "conv3x3")!; // [3, 3, 4, 6]
  const [result] = pruneLayers([conv], { granularity: slice4, saliency: l1, density: 0.5 });
  assert.equal(result.keptGrains, 3); // 6 filters x 1 slice, half kept
  // a filter is kept or pruned as a whole here, since cin = 4 is one slice
  for (let o = 0; o < 6; o++) {
    let kept = 0;
    for (let e = o; e < conv.values.length; e += 6) kept += result.mask[e];
    assert.ok(kept === 0 || kept === 36, `filter ${o} keeps ${kept} of 36`);
  }
});

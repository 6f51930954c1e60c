import assert from "node:assert/strict";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { elementGranularity } from "./element.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("elementGranularity() makes every weight a grain, in element order", () => {
  const grains = elementGranularity().partition(shapeOnly("c", "conv2d", [2, 3, 4, 5]))!;
  assert.equal(grains.count, 120);
  assert.equal(grains.maxSize, 1);
  const out = new Int32Array(1);
  assert.equal(grains.elementsOf(77, out), 1);
  assert.equal(out[0], 77);
  assert.equal(elementGranularity().partition(shapeOnly("fc", "dense", [7, 3]))!.count, 21);
  assert.equal(
    elementGranularity().partition(shapeOnly("dw", "depthwise", [3, 3, 4, 2]))!.count,
    72,
  );
});

Deno.test("elementGranularity() conforms to the core kit with default and skip policies", () => {
  assertGranularityConforms(elementGranularity());
  assertGranularityConforms(elementGranularity({ dense: "neuron", depthwise: "skip" }));
});

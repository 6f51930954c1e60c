import assert from "node:assert/strict";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { channelGranularity } from "./channel.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("channelGranularity() makes one grain per input channel across all filters", () => {
  const grains = channelGranularity().partition(shapeOnly("c", "conv2d", [3, 3, 5, 4]))!;
  assert.equal(grains.count, 5);
  assert.equal(grains.maxSize, 36);
  const out = new Int32Array(36);
  grains.elementsOf(2, out);
  assert.ok(out.every((e) => Math.floor(e / 4) % 5 === 2));
  // dense as a 1x1 conv: one input neuron [1, out]
  const inputs = channelGranularity().partition(shapeOnly("fc", "dense", [6, 3]))!;
  assert.equal(inputs.count, 6);
  assert.deepEqual(inputs.block?.block, [1, 3]);
  // depthwise: an input channel's multiplier kernels
  assert.deepEqual(
    channelGranularity().partition(shapeOnly("dw", "depthwise", [3, 3, 4, 2]))!.block?.block,
    [3, 3, 1, 2],
  );
});

Deno.test("channelGranularity() conforms to the core kit", () => {
  assertGranularityConforms(channelGranularity());
});

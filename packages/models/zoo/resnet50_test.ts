import assert from "node:assert/strict";
import { resnet50 } from "./resnet50.ts";
import { checkReference, weightShare } from "./_reference_test_util.ts";

Deno.test("resnet50() has torchvision's 25,557,032 parameters and 4.09 G MACs", () => {
  const s = checkReference(() => resnet50({ init: "zeros" }), 25_557_032, 4.09e9);
  assert.equal(s.layers.length, 1 + 16 * 3 + 4 + 1);
  // v1.5: the stride sits on the 3x3 conv.
  const l2 = s.layers.filter((l) => l.name.startsWith("layer2_0_"));
  assert.deepEqual(l2.map((l) => [l.name, l.geometry?.strides[0], l.geometry?.outputHeight]), [
    ["layer2_0_conv1", 1, 56],
    ["layer2_0_conv2", 2, 28],
    ["layer2_0_conv3", 1, 28],
    ["layer2_0_downsample_conv", 2, 28],
  ]);
  // PAPER.md: 1x1 convs hold 48% of ResNet-50's weights.
  assert.equal(
    Math.round(weightShare(s, (l) => l.kind === "conv2d" && l.shape[0] === 1)),
    48,
  );
});

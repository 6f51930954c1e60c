import assert from "node:assert/strict";
import { densenet121 } from "./densenet121.ts";
import { checkReference, weightShare } from "./_reference_test_util.ts";

Deno.test("densenet121() has torchvision's 7,978,856 parameters and 2.83 G MACs", () => {
  const s = checkReference(() => densenet121({ init: "zeros" }), 7_978_856, 2.83e9);
  assert.equal(s.layers.length, 1 + 2 * (6 + 12 + 24 + 16) + 3 + 1);
  assert.deepEqual(s.layers.find((l) => l.name === "transition3_conv")?.shape, [1, 1, 1024, 512]);
  assert.deepEqual(
    s.layers.find((l) => l.name === "denseblock4_denselayer16_conv1")?.shape,
    [1, 1, 992, 128],
  );
  // PAPER.md: 1x1 convs hold 60% of DenseNet-121's weights.
  assert.equal(
    Math.round(weightShare(s, (l) => l.kind === "conv2d" && l.shape[0] === 1)),
    60,
  );
});

import assert from "node:assert/strict";
import { vgg16 } from "./vgg16.ts";
import { checkReference, weightShare } from "./_reference_test_util.ts";

Deno.test("vgg16() has 138,357,544 parameters and 15.47 G MACs", () => {
  const s = checkReference(() => vgg16({ init: "zeros" }), 138_357_544, 15.47e9);
  assert.equal(s.layers.length, 16);
  assert.equal(s.weights, 138_344_128); // PAPER.md: weights in the 16 weight tensors
  assert.deepEqual(
    s.layers.filter((l) => l.name.endsWith("_1")).map((l) => l.geometry?.outputHeight),
    [224, 112, 56, 28, 14],
  );
  assert.deepEqual(s.layers.at(-3)?.shape, [25088, 4096]);
  // PAPER.md: FC layers hold 89.4% of the weights and 0.8% of the MACs.
  assert.equal(weightShare(s, (l) => l.kind === "dense").toFixed(1), "89.4");
  assert.equal(weightShare(s, (l) => l.kind === "dense", "macs").toFixed(1), "0.8");
});

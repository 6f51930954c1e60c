import assert from "node:assert/strict";
import { smallCnn } from "./small_cnn.ts";
import { summarizeModel } from "../summary.ts";
import { checkTrains } from "./_small_test_util.ts";

Deno.test("smallCnn() matches torch_train.py's SmallCNN layer for layer and trains", () => {
  const model = smallCnn({ seed: 1 });
  const s = summarizeModel(model);
  // SmallCNN: Conv2d(1,32,3), Conv2d(32,64,3), Linear(1600,128), Linear(128,10).
  assert.equal(s.params, (9 * 32 + 32) + (9 * 32 * 64 + 64) + (1600 * 128 + 128) + (128 * 10 + 10));
  assert.deepEqual(s.layers.map((l) => l.shape.join("x")), [
    "3x3x1x32",
    "3x3x32x64",
    "1600x128",
    "128x10",
  ]);
  assert.deepEqual(s.layers.slice(0, 2).map((l) => l.geometry?.outputHeight), [26, 11]);
  checkTrains(model);
  model.dispose();
});

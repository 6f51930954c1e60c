import assert from "node:assert/strict";
import { lenet5 } from "./lenet5.ts";
import { summarizeModel } from "../summary.ts";
import { checkTrains } from "./_small_test_util.ts";

Deno.test("lenet5() has 61,706 parameters and trains", () => {
  const model = lenet5({ seed: 1 });
  const s = summarizeModel(model);
  assert.equal(s.params, 61_706);
  assert.deepEqual(s.layers.map((l) => [l.name, l.shape.join("x")]), [
    ["conv1", "5x5x1x6"],
    ["conv2", "5x5x6x16"],
    ["fc3", "400x120"],
    ["fc4", "120x84"],
    ["fc5", "84x10"],
  ]);
  checkTrains(model);
  model.dispose();
});

import assert from "node:assert/strict";
import { convnet } from "./convnet.ts";
import { summarizeModel } from "../summary.ts";
import { checkTrains } from "./_small_test_util.ts";

Deno.test("convnet() mixes 5x5 and 3x3 kernels on multi-channel inputs and trains", () => {
  const model = convnet({ seed: 1 });
  const s = summarizeModel(model);
  assert.equal(s.params, 468_330);
  assert.ok(s.params >= 300_000 && s.params <= 1_000_000);
  assert.deepEqual(s.layers.map((l) => [l.name, l.shape.join("x"), l.geometry?.outputHeight]), [
    ["conv1", "5x5x1x32", 28],
    ["conv2", "3x3x32x32", 14],
    ["conv3", "3x3x32x64", 14],
    ["conv4", "3x3x64x64", 7],
    ["fc5", "3136x128", undefined],
    ["fc6", "128x10", undefined],
  ]);
  // 1-D, 2-D and 3-D pruning differ on every conv after the first.
  for (const l of s.layers.slice(1, 4)) {
    assert.ok(l.grains["0d"] > l.grains["1d"] && l.grains["1d"] > l.grains["2d"]);
    assert.ok(l.grains["2d"] > l.grains["3d"]);
  }
  model.dispose();
  // Backprop on the cpu backend is slow: check training on 12x12 inputs.
  const small = convnet({ seed: 1, inputShape: [12, 12, 1] });
  checkTrains(small, 4);
  small.dispose();
});

Deno.test("convnet() with the same seed builds identical weights", () => {
  const a = convnet({ seed: 5 });
  const b = convnet({ seed: 5 });
  const c = convnet({ seed: 6 });
  const values = (m: typeof a) => m.getLayer("conv3").getWeights()[0].dataSync();
  assert.deepEqual(values(a), values(b));
  assert.notDeepEqual(values(a), values(c));
  for (const m of [a, b, c]) m.dispose();
});

Deno.test("convnet() seeds every layer with seed 0 too (tfjs reads 0 as unseeded)", () => {
  const a = convnet({ seed: 0 });
  const b = convnet({ seed: 0 });
  const first = (m: typeof a) => m.getLayer("conv1").getWeights()[0].dataSync();
  assert.deepEqual(first(a), first(b));
  for (const m of [a, b]) m.dispose();
});

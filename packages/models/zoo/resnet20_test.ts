import assert from "node:assert/strict";
import { resnet20 } from "./resnet20.ts";
import { summarizeModel } from "../summary.ts";
import { checkTrains } from "./_small_test_util.ts";

Deno.test("resnet20() has 19 convs + fc, 272,474 parameters, and trains", () => {
  const model = resnet20({ seed: 1 });
  const s = summarizeModel(model);
  assert.equal(s.params, 272_474);
  const convs = s.layers.filter((l) => l.kind === "conv2d" && l.shape[0] === 3);
  assert.equal(convs.length, 19);
  assert.deepEqual(
    s.layers.filter((l) => l.name.endsWith("_conv2") && l.name.endsWith("2_conv2")).map((l) =>
      l.geometry?.outputHeight
    ),
    [32, 16, 8],
  );
  model.dispose();
  // Backprop on the cpu backend is slow: check training on 8x8 inputs.
  const small = resnet20({ seed: 1, inputShape: [8, 8, 3] });
  checkTrains(small);
  small.dispose();
});

Deno.test("resnet20() works on 28x28x1 Fashion-MNIST images", () => {
  const model = resnet20({ inputShape: [28, 28, 1], init: "zeros" });
  assert.deepEqual(model.outputs[0].shape, [null, 10]);
  assert.equal(model.getLayer("layer3_2_conv2").outputShape[1], 7);
  model.dispose();
});

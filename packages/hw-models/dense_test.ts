import assert from "node:assert/strict";
import { blockGrains, expandGrainMask, heNormalWeights, seededRandom } from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import { assertAcceleratorConforms } from "@sparsegrain/core/testing";
import { TINY_CONV as tiny } from "./_test_layers.ts";
import { denseModel, denseOptModel } from "./dense.ts";
import { scnnModel } from "./scnn.ts";

const conv: LayerWeights = {
  name: "conv",
  kind: "conv2d",
  shape: [3, 3, 16, 24],
  values: heNormalWeights([3, 3, 16, 24], 5),
  geometry: {
    inputHeight: 20,
    inputWidth: 20,
    outputHeight: 10,
    outputWidth: 10,
    strides: [2, 2],
    dilation: [1, 1],
    padding: "same",
    groups: 1,
  },
};

function randomMask(seed: number, grains: ReturnType<typeof blockGrains>, density: number) {
  const rand = seededRandom(seed);
  return expandGrainMask(
    Uint8Array.from({ length: grains.count }, () => (rand() < density ? 1 : 0)),
    grains,
  );
}

Deno.test("dense counts the hand-worked tiny layer exactly", () => {
  // One 3x3 kernel on a 4x4 "valid" input (2x2 output), one PE, F = I = 4. Every weight and
  // activation is processed: 9 weights in ceil(9/4) = 3 vectors x 4 activation vectors.
  // The whole kernel is one merge window: an activation's products land on at most a 2x2
  // window of outputs, one access with a 4-entry port, so 16 accesses for 36 accumulations.
  const cost = denseModel({ peRows: 1, peCols: 1 }).evaluate(
    tiny,
    new Uint8Array(9),
    blockGrains([3, 3, 1, 1], [1, 1, 1, 1]),
    { input: 0.25 },
  );
  assert.equal(cost.products, 36);
  assert.equal(cost.cycles, 12);
  assert.deepEqual(cost.references, {
    weight: 36,
    index: 0,
    inputActivation: 16,
    accumulatorRead: 16 + 4,
    accumulatorWrite: 16,
    outputWrite: 4,
  });
  assert.equal(cost.dramBytes, 18); // 9 x 16 bits
  assert.equal(cost.utilisation, 36 / (12 * 16));
});

Deno.test("dense baseline does not depend on the mask, the grains or the activation density", () => {
  const model = denseModel();
  const element = blockGrains(conv.shape, [1, 1, 1, 1]);
  const kernel = blockGrains(conv.shape, [3, 3, 1, 1]);
  const a = model.evaluate(conv, randomMask(1, element, 0.2), element, { input: 0.3 });
  const b = model.evaluate(conv, randomMask(2, kernel, 0.7), kernel, { input: 0.9 });
  const c = model.evaluate(conv, new Uint8Array(conv.values.length).fill(1), element, { input: 1 });
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  assert.equal(a.products, a.macs);
});

Deno.test("dense-opt keeps the dense cycles and traffic but gates zero operands", () => {
  const element = blockGrains(conv.shape, [1, 1, 1, 1]);
  const mask = randomMask(3, element, 0.4);
  const dense = denseModel().evaluate(conv, mask, element, { input: 0.5 });
  const opt = denseOptModel().evaluate(conv, mask, element, { input: 0.5 });
  const scnn = scnnModel().evaluate(conv, mask, element, { input: 0.5 });
  assert.equal(opt.cycles, dense.cycles);
  assert.deepEqual(opt.references, dense.references);
  assert.equal(opt.products, scnn.products);
  assert.ok(opt.energy.multiply < dense.energy.multiply * 0.25);
  assert.ok(opt.totalEnergy < dense.totalEnergy);
});

Deno.test("at density 1.0/1.0 every model performs the dense MACs", () => {
  const all = new Uint8Array(conv.values.length).fill(1);
  const element = blockGrains(conv.shape, [1, 1, 1, 1]);
  for (const model of [denseModel(), denseOptModel(), scnnModel()]) {
    const cost = model.evaluate(conv, all, element, { input: 1 });
    assert.equal(cost.products, cost.macs, model.name);
  }
});

Deno.test("dense and dense-opt pass the core accelerator conformance kit", () => {
  assertAcceleratorConforms(denseModel());
  assertAcceleratorConforms(denseOptModel());
});

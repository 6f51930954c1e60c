import assert from "node:assert/strict";
import { validateLayer } from "./validate.ts";
import { LayerError } from "./errors.ts";
import type { LayerWeights } from "./types.ts";

const conv = (shape: number[], values = new Float32Array(shape.reduce((a, b) => a * b, 1))) =>
  ({ name: "conv1", kind: "conv2d", shape, values }) as LayerWeights;

Deno.test("validateLayer() rejects bad shapes and non-finite weights, naming layer and field", async (t) => {
  const cases: [string, LayerWeights, string][] = [
    ["rank", conv([3, 3, 2]), "needs rank 4"],
    ["zero dim", conv([3, 0, 2, 2]), "positive integers"],
    ["length", conv([3, 3, 2, 2], new Float32Array(5)), "36 weights but 5"],
    ["NaN", conv([1, 1, 1, 2], new Float32Array([0, NaN])), "weight 1 is NaN"],
    ["Inf", conv([1, 1, 1, 2], new Float32Array([Infinity, 0])), "weight 0 is Infinity"],
    ["kind", { ...conv([1, 1]), kind: "pool" as "dense" }, '"pool" is not one of'],
  ];
  for (const [label, layer, text] of cases) {
    await t.step(label, () => {
      assert.throws(
        () => validateLayer(layer),
        (e: unknown) => e instanceof LayerError && e.layer === "conv1" && e.message.includes(text),
      );
    });
  }
  validateLayer(conv([3, 3, 2, 2]));
});

import assert from "node:assert/strict";
import { googlenet } from "./googlenet.ts";
import { checkReference, weightShare } from "./_reference_test_util.ts";

const is1x1 = (l: { kind: string; shape: readonly number[] }) =>
  l.kind === "conv2d" && l.shape[0] === 1 && l.shape[1] === 1;

Deno.test("googlenet() has BVLC's 6,998,552 parameters and 1.58 G MACs", () => {
  const s = checkReference(() => googlenet({ init: "zeros" }), 6_998_552, 1.58e9);
  assert.equal(s.layers.length, 3 + 9 * 6 + 1);
  assert.equal(s.layers[0].name, "conv1_7x7_s2");
  assert.equal(s.layers[0].geometry?.outputHeight, 112);
  assert.deepEqual(s.layers.find((l) => l.name === "inception_4e_5x5")?.shape, [5, 5, 32, 128]);
  assert.equal(s.layers.find((l) => l.name === "inception_5b_1x1")?.geometry?.outputHeight, 7);
  assert.deepEqual(s.layers.at(-1)?.shape, [1024, 1000]);
  // PAPER.md: 1x1 convs hold 32% of GoogLeNet's weights.
  assert.equal(Math.round(weightShare(s, is1x1)), 32);
});

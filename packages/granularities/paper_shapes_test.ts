// Known answers from PAPER.md: grains per layer for Caffe AlexNet conv1-5 and VGG-16 at every
// granularity, computed here from the shapes by the paper's table, not by the code under test.
import assert from "node:assert/strict";
import { blockGranularity } from "./block.ts";
import { channelGranularity } from "./channel.ts";
import { elementGranularity } from "./element.ts";
import { filterGranularity } from "./filter.ts";
import { kernelGranularity } from "./kernel.ts";
import { nmGranularity } from "./nm.ts";
import { vectorGranularity } from "./vector.ts";
import { ALEXNET_CONV, shapeOnly, VGG16 } from "./_test_layers.ts";

Deno.test("grains per layer of Caffe AlexNet conv1-5 match PAPER.md at 0-D, 1-D, 2-D and 3-D", () => {
  const paper = {
    "0d": [34_848, 307_200, 884_736, 663_552, 442_368],
    "1d": [3_168, 61_440, 294_912, 221_184, 147_456],
    "2d": [288, 12_288, 98_304, 73_728, 49_152],
    "3d": [96, 256, 384, 384, 256],
  };
  const granularities = {
    "0d": elementGranularity(),
    "1d": vectorGranularity(),
    "2d": kernelGranularity(),
    "3d": filterGranularity(),
  };
  for (const [name, granularity] of Object.entries(granularities)) {
    const counts = ALEXNET_CONV.map((l) =>
      granularity.partition(shapeOnly(l.name, "conv2d", l.shape))!.count
    );
    assert.deepEqual(counts, paper[name as keyof typeof paper], name);
  }
});

Deno.test("AlexNet conv1-5: column vectors, channels, 2:4 groups and 1x1x4x4 blocks", () => {
  const layers = ALEXNET_CONV.map((l) => shapeOnly(l.name, "conv2d", l.shape));
  // a column W[:, w, i, o] has kh weights: kw*cin*cout grains, as many as rows for square kernels
  assert.deepEqual(
    layers.map((l) => vectorGranularity({ axis: "column" }).partition(l)!.count),
    [3_168, 61_440, 294_912, 221_184, 147_456],
  );
  assert.deepEqual(layers.map((l) => channelGranularity().partition(l)!.count), [
    3,
    48,
    256,
    192,
    192,
  ]);
  // conv1 has 3 input channels: not a multiple of 4
  assert.throws(() => nmGranularity({ n: 2, m: 4 }).partition(layers[0]), /multiple of m = 4/);
  assert.deepEqual(
    layers.slice(1).map((l) => nmGranularity({ n: 2, m: 4 }).partition(l)!.groups!.count),
    [76_800, 221_184, 165_888, 110_592], // weights / 4
  );
  // conv1: 11*11 positions * ceil(3/4) * 96/4 blocks
  assert.deepEqual(
    layers.map((l) => blockGranularity({ block: [1, 1, 4, 4] }).partition(l)!.count),
    [121 * 1 * 24, 25 * 12 * 64, 9 * 64 * 96, 9 * 48 * 96, 9 * 48 * 64],
  );
});

Deno.test("grains per layer of VGG-16 at every granularity (dense layers by PAPER.md's policy)", () => {
  let weights = 0;
  for (const spec of VGG16) {
    const layer = shapeOnly(spec.name, spec.kind, spec.shape);
    weights += layer.values.length;
    if (spec.kind === "conv2d") {
      const [kh, kw, cin, cout] = spec.shape;
      assert.equal(elementGranularity().partition(layer)!.count, kh * kw * cin * cout);
      assert.equal(vectorGranularity().partition(layer)!.count, kh * cin * cout, spec.name);
      assert.equal(vectorGranularity({ axis: "column" }).partition(layer)!.count, kw * cin * cout);
      assert.equal(kernelGranularity().partition(layer)!.count, cin * cout, spec.name);
      assert.equal(filterGranularity().partition(layer)!.count, cout, spec.name);
      assert.equal(channelGranularity().partition(layer)!.count, cin, spec.name);
      if (cin % 4 === 0) {
        assert.equal(nmGranularity().partition(layer)!.groups!.count, kh * kw * cin * cout / 4);
      } else assert.throws(() => nmGranularity().partition(layer), /conv1_1/);
    } else {
      const [inputs, outputs] = spec.shape;
      // a dense layer is a 1x1 conv: element-wise at 0-D, 1-D and 2-D, output neurons at 3-D
      for (const g of [elementGranularity(), vectorGranularity(), kernelGranularity()]) {
        assert.equal(g.partition(layer)!.count, inputs * outputs, `${g.name} ${spec.name}`);
      }
      assert.equal(filterGranularity().partition(layer)!.count, outputs, spec.name);
      assert.equal(filterGranularity().partition(layer)!.maxSize, inputs);
      assert.equal(channelGranularity().partition(layer)!.count, inputs, spec.name);
      assert.equal(nmGranularity().partition(layer)!.groups!.count, inputs * outputs / 4);
    }
  }
  assert.equal(weights, 138_344_128); // PAPER.md: weights in VGG-16's 16 tensors
});

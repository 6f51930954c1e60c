import assert from "node:assert/strict";
import { normalizeProblem } from "../_problem.ts";
import { ZOO_MODELS, zooLayers } from "./zoo_layers.ts";

// PAPER.md, "Reference model sizes".
const PARAMETERS = {
  alexnet: 60_965_224,
  vgg16: 138_357_544,
  googlenet: 6_998_552,
  resnet50: 25_557_032,
  densenet121: 7_978_856,
};
const MACS = {
  alexnet: 724.4e6,
  vgg16: 15.47e9,
  googlenet: 1.58e9,
  resnet50: 4.09e9,
  densenet121: 2.83e9,
};

Deno.test("zoo fixture: parameter counts equal PAPER.md's table exactly", () => {
  for (const model of ZOO_MODELS) {
    let params = 0;
    for (const l of zooLayers(model)) params += l.shape.reduce((a, b) => a * b, 1) + l.otherParams;
    assert.equal(params, PARAMETERS[model], model);
  }
});

// conv + fc MACs, padding taps included, as PAPER.md's table counts them.
const TOLERANCE = 0.002;

Deno.test("zoo fixture: conv and fc MACs (padding taps included) match PAPER.md's table", () => {
  for (const model of ZOO_MODELS) {
    let macs = 0;
    for (const l of zooLayers(model)) {
      const size = l.shape.reduce((a, b) => a * b, 1);
      macs += size * (l.geometry ? l.geometry.outputHeight * l.geometry.outputWidth : 1);
    }
    assert.ok(Math.abs(macs / MACS[model] - 1) < TOLERANCE, `${model}: ${macs}`);
  }
});

Deno.test("zoo fixture: AlexNet and VGG-16 shapes of PAPER.md", () => {
  const alex = zooLayers("alexnet");
  assert.deepEqual(alex.map((l) => l.shape.reduce((a, b) => a * b, 1)).slice(0, 5), [
    34848,
    307200,
    884736,
    663552,
    442368,
  ]);
  assert.deepEqual(alex.slice(0, 5).map((l) => l.geometry!.outputHeight), [55, 27, 13, 13, 13]);
  // FC layers hold 96.2% of AlexNet's and 89.4% of VGG-16's weights, 8.1% / 0.8% of the MACs.
  for (const [model, weights, macs] of [["alexnet", 96.2, 8.1], ["vgg16", 89.4, 0.8]] as const) {
    let w = 0, fw = 0, m = 0, fm = 0;
    for (const l of zooLayers(model)) {
      const size = l.shape.reduce((a, b) => a * b, 1);
      const mac = size * (l.geometry ? l.geometry.outputHeight * l.geometry.outputWidth : 1);
      w += size;
      m += mac;
      if (l.kind === "dense") {
        fw += size;
        fm += mac;
      }
    }
    assert.equal((fw / w * 100).toFixed(1), weights.toFixed(1));
    assert.equal((fm / m * 100).toFixed(1), macs.toFixed(1));
  }
  const vgg = zooLayers("vgg16");
  assert.equal(vgg.length, 16);
  assert.equal(vgg.reduce((a, l) => a + l.shape.reduce((x, y) => x * y, 1), 0), 138_344_128);
});

Deno.test("zoo fixture: every layer's geometry is consistent with its weights", () => {
  for (const model of ZOO_MODELS) {
    for (const l of zooLayers(model)) {
      normalizeProblem({ ...l, values: new Float32Array(0) });
    }
  }
});

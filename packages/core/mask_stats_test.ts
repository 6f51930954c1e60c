import assert from "node:assert/strict";
import { maskStats } from "./mask_stats.ts";
import type { LayerWeights } from "./types.ts";

Deno.test("maskStats() splits zeros into filters, kernels, rows and isolated weights", () => {
  // conv [kh=2, kw=2, cin=2, cout=2]; element index = ((h*2 + w)*2 + i)*2 + o
  const layer: LayerWeights = {
    name: "c",
    kind: "conv2d",
    shape: [2, 2, 2, 2],
    values: new Float32Array(16),
  };
  const mask = new Uint8Array(16).fill(1);
  const idx = (h: number, w: number, i: number, o: number) => ((h * 2 + w) * 2 + i) * 2 + o;
  for (let h = 0; h < 2; h++) {
    for (let w = 0; w < 2; w++) {
      for (let i = 0; i < 2; i++) mask[idx(h, w, i, 0)] = 0; // filter 0
    }
  }
  for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) mask[idx(h, w, 0, 1)] = 0; // kernel (i=0, o=1)
  mask[idx(0, 0, 1, 1)] = 0;
  mask[idx(0, 1, 1, 1)] = 0; // row h=0 of kernel (1, 1)
  mask[idx(1, 0, 1, 1)] = 0; // isolated
  const stats = maskStats(layer, mask);
  assert.deepEqual(stats.zeros, { filter: 8, kernel: 4, row: 2, isolated: 1 });
  assert.equal(stats.kept, 1);
  assert.equal(stats.density, 1 / 16);
});

Deno.test("maskStats() has no kernel or row units in dense layers and 1x1 convs", () => {
  const dense: LayerWeights = {
    name: "fc",
    kind: "dense",
    shape: [2, 2],
    values: new Float32Array(4),
  };
  assert.deepEqual(maskStats(dense, new Uint8Array([0, 1, 0, 0])).zeros, {
    filter: 2,
    kernel: 0,
    row: 0,
    isolated: 1,
  });
  const pw: LayerWeights = {
    name: "pw",
    kind: "conv2d",
    shape: [1, 1, 2, 2],
    values: new Float32Array(4),
  };
  assert.deepEqual(maskStats(pw, new Uint8Array([1, 0, 0, 1])).zeros, {
    filter: 0,
    kernel: 0,
    row: 0,
    isolated: 2,
  });
  assert.throws(() => maskStats(pw, new Uint8Array(3)), /3 entries for 4 weights/);
});

import assert from "node:assert/strict";
import { LayerError } from "@sparsegrain/core";
import type { ConvGeometry, LayerWeights } from "@sparsegrain/core";
import { normalizeProblem } from "./_problem.ts";

const geometry = (over: Partial<ConvGeometry> = {}): ConvGeometry => ({
  inputHeight: 224,
  inputWidth: 224,
  outputHeight: 224,
  outputWidth: 224,
  strides: [1, 1],
  dilation: [1, 1],
  padding: "same",
  groups: 1,
  ...over,
});

const layer = (shape: number[], g?: ConvGeometry, kind: LayerWeights["kind"] = "conv2d") => ({
  name: "l",
  kind,
  shape,
  values: new Float32Array(0),
  geometry: g,
});

Deno.test("normalizeProblem() reads conv, grouped conv, depthwise and dense layers", async (t) => {
  await t.step("VGG-16 conv1_1: tfjs same padding adds one row above and below", () => {
    const p = normalizeProblem(layer([3, 3, 3, 64], geometry()));
    assert.deepEqual([p.padTop, p.padRows, p.padLeft, p.padCols], [1, 2, 1, 2]);
    assert.equal(p.macs, 3 * 3 * 3 * 64 * 224 * 224);
  });
  await t.step(
    "ResNet conv1 7x7/2 on 224: 5 padding rows, 2 above (tfjs puts the odd one below)",
    () => {
      const p = normalizeProblem(
        layer([7, 7, 3, 64], geometry({ outputHeight: 112, outputWidth: 112, strides: [2, 2] })),
      );
      assert.deepEqual([p.padTop, p.padRows], [2, 5]);
    },
  );
  await t.step("Caffe AlexNet conv2: groups 2 double the input channels", () => {
    const p = normalizeProblem(
      layer(
        [5, 5, 48, 256],
        geometry({ inputHeight: 27, inputWidth: 27, outputHeight: 27, outputWidth: 27, groups: 2 }),
      ),
    );
    assert.deepEqual([p.inputChannels, p.outputChannels, p.groups], [96, 256, 2]);
  });
  await t.step("depthwise: one group per channel, cin x multiplier outputs", () => {
    const p = normalizeProblem(
      layer(
        [3, 3, 8, 2],
        geometry({ inputHeight: 6, inputWidth: 6, outputHeight: 6, outputWidth: 6, groups: 8 }),
        "depthwise",
      ),
    );
    assert.deepEqual([p.inputChannels, p.outputChannels, p.groups], [8, 16, 8]);
  });
  await t.step("dense: a 1x1 conv on a 1x1 input", () => {
    const p = normalizeProblem(layer([25088, 4096], undefined, "dense"));
    assert.deepEqual([p.R, p.S, p.A3, p.A4, p.H, p.P, p.macs], [
      1,
      1,
      25088,
      4096,
      1,
      1,
      25088 * 4096,
    ]);
  });
});

Deno.test("normalizeProblem() rejects geometry that does not match the weights, naming layer and field", async (t) => {
  const cases: [string, LayerWeights, string][] = [
    ["missing geometry", layer([3, 3, 3, 8]), "geometry"],
    [
      "wrong output size",
      layer([3, 3, 3, 8], geometry({ outputHeight: 222 })),
      "geometry.outputHeight",
    ],
    [
      "kernel larger than a valid input",
      layer(
        [5, 5, 3, 8],
        geometry({
          inputHeight: 4,
          inputWidth: 4,
          outputHeight: 1,
          outputWidth: 1,
          padding: "valid",
        }),
      ),
      "geometry.inputHeight",
    ],
    ["groups not dividing cout", layer([3, 3, 3, 8], geometry({ groups: 3 })), "geometry.groups"],
    ["bad stride", layer([3, 3, 3, 8], geometry({ strides: [0, 1] })), "geometry.strides[0]"],
    [
      "bad padding",
      layer([3, 3, 3, 8], geometry({ padding: "full" as "same" })),
      "geometry.padding",
    ],
    ["rank", layer([3, 3, 8], geometry()), "shape"],
    [
      "dense with strided geometry",
      layer([8, 4], geometry({ outputHeight: 112, strides: [2, 1] }), "dense"),
      "geometry",
    ],
  ];
  for (const [label, bad, field] of cases) {
    await t.step(label, () => {
      assert.throws(() => normalizeProblem(bad), (e: unknown) => {
        assert.ok(e instanceof LayerError, String(e));
        assert.equal(e.layer, "l");
        assert.equal(e.field, field);
        assert.match(e.message, /^Layer "l" has a bad .+: .+[^.]$/);
        return true;
      });
    });
  }
});

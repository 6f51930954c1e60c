import { heNormalWeights } from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";

const CONV = [
  ["conv1_1", 3, 64, 224],
  ["conv1_2", 64, 64, 224],
  ["conv2_1", 64, 128, 112],
  ["conv2_2", 128, 128, 112],
  ["conv3_1", 128, 256, 56],
  ["conv3_2", 256, 256, 56],
  ["conv3_3", 256, 256, 56],
  ["conv4_1", 256, 512, 28],
  ["conv4_2", 512, 512, 28],
  ["conv4_3", 512, 512, 28],
  ["conv5_1", 512, 512, 14],
  ["conv5_2", 512, 512, 14],
  ["conv5_3", 512, 512, 14],
] as const;
const FC = [["fc6", 25088, 4096], ["fc7", 4096, 4096], ["fc8", 4096, 1000]] as const;

/** One VGG-16 weight tensor by name, with the seed `vgg16Layers(seed)` gives it. */
export function vgg16Layer(name: string, seed = 0): LayerWeights {
  const c = CONV.findIndex(([n]) => n === name);
  if (c >= 0) {
    const [, cin, cout, size] = CONV[c];
    return {
      name,
      kind: "conv2d",
      shape: [3, 3, cin, cout],
      values: heNormalWeights([3, 3, cin, cout], seed + c),
      geometry: {
        inputHeight: size,
        inputWidth: size,
        outputHeight: size,
        outputWidth: size,
        strides: [1, 1],
        dilation: [1, 1],
        padding: "same",
        groups: 1,
      },
    };
  }
  const f = FC.findIndex(([n]) => n === name);
  if (f < 0) throw new RangeError(`VGG-16 has no layer "${name}"`);
  const [, input, output] = FC[f];
  return {
    name,
    kind: "dense",
    shape: [input, output],
    values: heNormalWeights([input, output], seed + 100 + f),
  };
}

/** VGG-16's 16 weight tensors (138,344,128 weights, PAPER.md shapes), seeded He-normal init. */
export function vgg16Layers(seed = 0): LayerWeights[] {
  return [...CONV, ...FC].map(([name]) => vgg16Layer(name, seed));
}

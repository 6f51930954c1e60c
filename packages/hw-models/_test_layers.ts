import type { LayerWeights } from "@sparsegrain/core";

/**
 * The hand-worked tiny layer of the dense and scnn known-answer tests (tests only): one 3x3
 * kernel (1 input, 1 output channel) on a 4x4 input, "valid", stride 1, so a 2x2 output. The
 * cost models never read its values (zeros).
 */
export const TINY_CONV: LayerWeights = {
  name: "tiny",
  kind: "conv2d",
  shape: [3, 3, 1, 1],
  values: new Float32Array(9),
  geometry: {
    inputHeight: 4,
    inputWidth: 4,
    outputHeight: 2,
    outputWidth: 2,
    strides: [1, 1],
    dilation: [1, 1],
    padding: "valid",
    groups: 1,
  },
};

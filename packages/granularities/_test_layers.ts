import { heNormalWeights } from "@sparsegrain/core";
import type { LayerKind, LayerWeights } from "@sparsegrain/core";

/** A layer with seeded He-normal weights (tests only). */
export function testLayer(
  name: string,
  kind: LayerKind,
  shape: number[],
  seed = 1,
): LayerWeights {
  return { name, kind, shape, values: heNormalWeights(shape, seed) };
}

/**
 * A layer whose values are never read: a lazily zeroed buffer of the right length, so that
 * partitioning VGG-16-sized layers in tests costs no memory traffic.
 */
export function shapeOnly(name: string, kind: LayerKind, shape: number[]): LayerWeights {
  return { name, kind, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** Caffe AlexNet conv1-5 in tfjs layout (PAPER.md), conv2/4/5 per group of 2. */
export const ALEXNET_CONV: readonly { name: string; shape: number[] }[] = [
  { name: "conv1", shape: [11, 11, 3, 96] },
  { name: "conv2", shape: [5, 5, 48, 256] },
  { name: "conv3", shape: [3, 3, 256, 384] },
  { name: "conv4", shape: [3, 3, 192, 384] },
  { name: "conv5", shape: [3, 3, 192, 256] },
];

/** VGG-16's 16 weight tensors in tfjs layout (PAPER.md). */
export const VGG16: readonly { name: string; kind: LayerKind; shape: number[] }[] = [
  ...[
    ["conv1_1", 3, 64],
    ["conv1_2", 64, 64],
    ["conv2_1", 64, 128],
    ["conv2_2", 128, 128],
    ["conv3_1", 128, 256],
    ["conv3_2", 256, 256],
    ["conv3_3", 256, 256],
    ["conv4_1", 256, 512],
    ["conv4_2", 512, 512],
    ["conv4_3", 512, 512],
    ["conv5_1", 512, 512],
    ["conv5_2", 512, 512],
    ["conv5_3", 512, 512],
  ].map(([name, cin, cout]) => ({
    name: name as string,
    kind: "conv2d" as const,
    shape: [3, 3, cin as number, cout as number],
  })),
  { name: "fc6", kind: "dense", shape: [25088, 4096] },
  { name: "fc7", kind: "dense", shape: [4096, 4096] },
  { name: "fc8", kind: "dense", shape: [4096, 1000] },
];

import { heNormalWeights } from "../random.ts";
import type { ConvGeometry, LayerWeights } from "../types.ts";

function geometry(
  size: number,
  stride: number,
  kernel: number,
  padding: "same" | "valid",
): ConvGeometry {
  const out = padding === "same"
    ? Math.ceil(size / stride)
    : Math.floor((size - kernel) / stride) + 1;
  return {
    inputHeight: size,
    inputWidth: size,
    outputHeight: out,
    outputWidth: out,
    strides: [stride, stride],
    dilation: [1, 1],
    padding,
    groups: 1,
  };
}

/**
 * A small, varied set of seeded layers for plugin tests: 3x3 and 5x5 convs, a non-square
 * 1x3 conv, a 1x1 conv, a depthwise conv and a dense layer, each with conv geometry.
 *
 * @param seed seed of the He-normal weights
 * @returns the layers
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleLayers } from "@sparsegrain/core/testing";
 * assert(sampleLayers(1).length === 6);
 * ```
 */
export function sampleLayers(seed: number): LayerWeights[] {
  const layer = (
    name: string,
    kind: LayerWeights["kind"],
    shape: number[],
    geo?: ConvGeometry,
  ): LayerWeights => ({
    name,
    kind,
    shape,
    values: heNormalWeights(shape, seed + name.length),
    geometry: geo,
  });
  return [
    layer("conv3x3", "conv2d", [3, 3, 4, 6], geometry(8, 1, 3, "same")),
    layer("conv5x5", "conv2d", [5, 5, 3, 8], geometry(9, 2, 5, "valid")),
    layer("conv1x3", "conv2d", [1, 3, 4, 4], geometry(6, 1, 3, "same")),
    layer("pointwise", "conv2d", [1, 1, 8, 4], geometry(5, 1, 1, "same")),
    layer("depthwise", "depthwise", [3, 3, 4, 1], geometry(6, 1, 3, "same")),
    layer("fc", "dense", [12, 10]),
  ];
}

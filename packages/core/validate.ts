import { LayerError } from "./errors.ts";
import type { LayerWeights } from "./types.ts";

const RANK: Record<string, number> = { conv2d: 4, dense: 2, depthwise: 4 };
const LAYOUT: Record<string, string> = {
  conv2d: "[kh, kw, cin, cout]",
  dense: "[in, out]",
  depthwise: "[kh, kw, cin, multiplier]",
};

/**
 * Checks a layer at the boundary: known kind, rank and positive integer dims for its kind,
 * `values.length` equal to the product of the shape, and every weight finite.
 *
 * @param layer the layer to check
 * @throws {LayerError} naming the layer, the field and the fix
 * @example
 * ```ts
 * import { validateLayer } from "@sparsegrain/core";
 * validateLayer({ name: "fc", kind: "dense", shape: [2, 3], values: new Float32Array(6) });
 * ```
 */
export function validateLayer(layer: LayerWeights): void {
  const name = layer.name || "(unnamed)";
  if (!(layer.kind in RANK)) {
    throw new LayerError(
      name,
      "kind",
      `"${layer.kind}" is not one of "conv2d", "dense", "depthwise"`,
    );
  }
  const { shape } = layer;
  if (shape.length !== RANK[layer.kind]) {
    throw new LayerError(
      name,
      "shape",
      `a ${layer.kind} layer needs rank ${RANK[layer.kind]} ${
        LAYOUT[layer.kind]
      }, found [${shape}]`,
    );
  }
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new LayerError(name, "shape", `dimensions must be positive integers, found [${shape}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (layer.values.length !== size) {
    throw new LayerError(
      name,
      "values",
      `shape [${shape}] holds ${size} weights but ${layer.values.length} were given: pass values in ${
        LAYOUT[layer.kind]
      } order`,
    );
  }
  const values = layer.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      throw new LayerError(
        name,
        "values",
        `weight ${i} is ${v}: weights must be finite, check the training run or weights file`,
      );
    }
  }
}

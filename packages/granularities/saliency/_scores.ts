import { LayerError } from "@sparsegrain/core";
import type { Grains, LayerWeights } from "@sparsegrain/core";

const FLOAT32_MAX = 3.4028234663852886e38;

/** Throws `LayerError` when the layer's value count differs from the grains' element count. */
export function checkScoreInputs(layer: LayerWeights, grains: Grains): void {
  if (layer.values.length !== grains.elements) {
    throw new LayerError(
      layer.name,
      "values",
      `${layer.values.length} values but the grains cover ${grains.elements} elements: partition this layer's own weights`,
    );
  }
}

/** Replaces scores that overflowed float32 (or are NaN) by the largest float32, in place. */
export function saturate(scores: Float32Array): Float32Array {
  for (let g = 0; g < scores.length; g++) {
    const s = scores[g];
    if (!(s <= FLOAT32_MAX)) scores[g] = FLOAT32_MAX;
  }
  return scores;
}

/** True when every grain of a block layout has the full `maxSize` elements. */
export function evenGrains(grains: Grains): boolean {
  const layout = grains.block;
  if (layout === undefined) return false;
  for (let i = 0; i < layout.shape.length; i++) {
    if (layout.shape[i] % layout.block[i] !== 0) return false;
  }
  return true;
}

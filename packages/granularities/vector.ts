import type { Granularity, LayerWeights } from "@sparsegrain/core";
import { oneOf } from "./_options.ts";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link vectorGranularity}. */
export interface VectorGranularityOptions extends LayerPolicyOptions {
  /**
   * Which kernel vector is a grain: `"row"` is `W[h, :, i, o]` (along `kw`, `kw` weights),
   * `"column"` is `W[:, w, i, o]` (along `kh`, `kh` weights).
   *
   * @default {"row"}
   */
  readonly axis?: "row" | "column";
}

/**
 * The 1-D (vector) granularity, registered as `"1d"`: one kernel row (block `[1, kw, 1, 1]`) or
 * column (`[kh, 1, 1, 1]`) per grain. On 1x1 convs it equals 0-D; dense layers default to
 * `dense: "element"`; a depthwise kernel is cut the same way.
 *
 * @param options `axis` and the layer-kind policies
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { vectorGranularity } from "@sparsegrain/granularities";
 * const grains = vectorGranularity({ axis: "row" }).partition({
 *   name: "conv1", kind: "conv2d", shape: [3, 3, 2, 4], values: new Float32Array(72),
 * });
 * assert(grains?.count === 24 && grains.maxSize === 3);
 * ```
 */
export function vectorGranularity(options?: VectorGranularityOptions): Granularity {
  const policies = resolvePolicies("1d", options, "element", ["axis"]);
  const axis = oneOf("1d", "axis", options?.axis, ["row", "column"], "row");
  return {
    name: "1d",
    version: "1.0.0",
    options: { axis, ...policies },
    describe: () =>
      `1-D: one kernel ${axis} (${axis === "row" ? "along kw" : "along kh"}) per grain; ${
        describePolicies(policies)
      }`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, ([kh, kw]) => ({
        block: axis === "row" ? [1, kw, 1, 1] : [kh, 1, 1, 1],
      })),
  };
}

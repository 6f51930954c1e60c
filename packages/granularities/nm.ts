import { LayerError } from "@sparsegrain/core";
import type { GrainGroups, Granularity, LayerWeights } from "@sparsegrain/core";
import { integerIn } from "./_options.ts";
import type { ConvDims } from "./_partition.ts";
import { describePolicies, partitionLayer, resolvePolicies } from "./_partition.ts";
import type { LayerPolicyOptions } from "./policy.ts";

/** Options of {@link nmGranularity}. */
export interface NmGranularityOptions extends LayerPolicyOptions {
  /**
   * Weights kept in every group of `m`.
   *
   * @default {2}
   */
  readonly n?: number;
  /**
   * Group length along the input channels.
   *
   * @default {4}
   */
  readonly m?: number;
}

/**
 * The N:M granularity, registered as `"nm"`: grains are single weights, grouped into runs of
 * `m` consecutive input channels `W[h, w, i..i+m-1, o]` at a fixed `(h, w, o)`; selection keeps
 * exactly `n` per group (`grains.groups.keep`). Groups are numbered in element order of their
 * first weight. Dense layers default to `dense: "conv"` (groups along `in`); a layer whose input
 * channel count is not a multiple of `m` is refused with a `LayerError`.
 *
 * @param options `n`, `m` and the layer-kind policies
 * @returns the granularity
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nmGranularity } from "@sparsegrain/granularities";
 * const grains = nmGranularity({ n: 2, m: 4 }).partition({
 *   name: "conv2", kind: "conv2d", shape: [3, 3, 8, 4], values: new Float32Array(288),
 * });
 * assert(grains?.count === 288 && grains.groups?.count === 72 && grains.groups.keep === 2);
 * ```
 */
export function nmGranularity(options?: NmGranularityOptions): Granularity {
  const policies = resolvePolicies("nm", options, "conv", ["n", "m"]);
  const m = integerIn("nm", "m", options?.m, 1, 1 << 16, 4);
  const n = integerIn("nm", "n", options?.n, 1, m, Math.min(2, m));
  return {
    name: "nm",
    version: "1.0.0",
    options: { n, m, ...policies },
    describe: () =>
      `N:M: keep ${n} of every ${m} consecutive input-channel weights; ${
        describePolicies(policies)
      }`,
    partition: (layer: LayerWeights) =>
      partitionLayer(layer, policies, (dims) => ({
        block: [1, 1, 1, 1],
        groups: nmGroups(layer, dims, n, m),
      })),
  };
}

/** Groups of `m` consecutive input channels at fixed `(h, w, o)`; `groupOf` built on first use. */
function nmGroups(layer: LayerWeights, dims: ConvDims, n: number, m: number): GrainGroups {
  const [kh, kw, cin, cout] = dims;
  if (cin % m !== 0) {
    throw new LayerError(
      layer.name,
      "shape",
      `N:M needs the input channels (${cin}) to be a multiple of m = ${m}: use an m that divides ${cin}, or exclude the layer`,
    );
  }
  const runs = cin / m;
  let groupOf: Int32Array | undefined;
  return {
    count: kh * kw * runs * cout,
    keep: n,
    get groupOf(): Int32Array {
      if (groupOf === undefined) {
        const out = new Int32Array(kh * kw * cin * cout);
        let e = 0;
        for (let hw = 0; hw < kh * kw; hw++) {
          for (let c = 0; c < cin; c++) {
            const base = (hw * runs + Math.floor(c / m)) * cout;
            for (let o = 0; o < cout; o++) out[e++] = base + o;
          }
        }
        groupOf = out;
      }
      return groupOf;
    },
  };
}

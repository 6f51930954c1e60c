import { blockGrains, LayerError } from "@sparsegrain/core";
import type { GrainGroups, Grains, LayerKind, LayerWeights } from "@sparsegrain/core";
import { checkOptionKeys, oneOf } from "./_options.ts";
import type {
  DensePolicy,
  DepthwisePolicy,
  LayerPolicyOptions,
  PointwisePolicy,
} from "./policy.ts";

/** A conv-layout view `[kh, kw, cin, cout]` of a layer (a dense layer is `[1, 1, in, out]`). */
export type ConvDims = readonly [number, number, number, number];

/** The grain of a granularity on a conv-layout view: a block, and an optional N:M constraint. */
export interface ConvGrain {
  readonly block: readonly [number, number, number, number];
  readonly groups?: GrainGroups;
}

/** Maps a conv-layout view to the granularity's grain. `kind` is the real layer kind. */
export type ConvRule = (dims: ConvDims, kind: LayerKind, layer: LayerWeights) => ConvGrain;

/** Resolved policies. */
export interface Policies {
  readonly dense: DensePolicy;
  readonly pointwise: PointwisePolicy;
  readonly depthwise: DepthwisePolicy;
}

/** The option keys every granularity accepts. */
export const POLICY_KEYS: readonly string[] = ["dense", "pointwise", "depthwise"];

/** Reads the three policy options (validated), with the granularity's dense default. */
export function resolvePolicies(
  plugin: string,
  options: LayerPolicyOptions | undefined,
  denseDefault: DensePolicy,
  extraKeys: readonly string[] = [],
): Policies {
  const record = checkOptionKeys(plugin, options, [...extraKeys, ...POLICY_KEYS]);
  return {
    dense: oneOf(
      plugin,
      "dense",
      record.dense,
      ["conv", "element", "neuron", "skip"],
      denseDefault,
    ),
    pointwise: oneOf(plugin, "pointwise", record.pointwise, ["prune", "skip"], "prune"),
    depthwise: oneOf(plugin, "depthwise", record.depthwise, ["kernel", "skip"], "kernel"),
  };
}

const KINDS: readonly LayerKind[] = ["conv2d", "dense", "depthwise"];

/**
 * Checks kind, rank, extents and value count of a layer; throws `LayerError` naming it. Does not
 * scan the values (NaN checks belong to core's `validateLayer`).
 */
export function checkLayerShape(layer: LayerWeights): void {
  const name = layer.name;
  if (!KINDS.includes(layer.kind)) {
    throw new LayerError(
      name,
      "kind",
      `found ${JSON.stringify(layer.kind)}: use one of "conv2d", "dense", "depthwise"`,
    );
  }
  const shape = layer.shape;
  const rank = layer.kind === "dense" ? 2 : 4;
  const layout = layer.kind === "dense"
    ? "[in, out]"
    : layer.kind === "conv2d"
    ? "[kh, kw, cin, cout]"
    : "[kh, kw, cin, multiplier]";
  if (!Array.isArray(shape) || shape.length !== rank) {
    throw new LayerError(
      name,
      "shape",
      `a ${layer.kind} layer needs rank ${rank} ${layout}, found [${shape}]: pass the weights in tfjs layout`,
    );
  }
  let product = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 1) {
      throw new LayerError(
        name,
        "shape",
        `extent ${
          JSON.stringify(d)
        } in [${shape}] is not a positive integer: give ${layout} as positive integers`,
      );
    }
    product *= d;
  }
  if (!(layer.values instanceof Float32Array) || layer.values.length !== product) {
    throw new LayerError(
      name,
      "values",
      `shape [${shape}] needs ${product} values, found ${
        layer.values instanceof Float32Array ? layer.values.length : typeof layer.values
      }: pass a Float32Array of the shape's size`,
    );
  }
}

/**
 * Partitions a layer with a conv rule and the policies: checks the shape, applies the dense,
 * pointwise and depthwise policies, and builds block grains (core's fast loops apply).
 */
export function partitionLayer(
  layer: LayerWeights,
  policies: Policies,
  rule: ConvRule,
): Grains | undefined {
  checkLayerShape(layer);
  const shape = layer.shape;
  if (layer.kind === "dense") {
    const [inputs, outputs] = shape;
    switch (policies.dense) {
      case "skip":
        return undefined;
      case "element":
        return blockGrains(shape, [1, 1]);
      case "neuron":
        return blockGrains(shape, [inputs, 1]);
      case "conv": {
        const grain = rule([1, 1, inputs, outputs], "dense", layer);
        return blockGrains(shape, [grain.block[2], grain.block[3]], grain.groups);
      }
    }
  }
  const dims = shape as unknown as ConvDims;
  if (layer.kind === "depthwise" && policies.depthwise === "skip") return undefined;
  if (layer.kind === "conv2d" && dims[0] === 1 && dims[1] === 1 && policies.pointwise === "skip") {
    return undefined;
  }
  const grain = rule(dims, layer.kind, layer);
  return blockGrains(shape, grain.block, grain.groups);
}

/** One sentence about the policies, for `describe()`. */
export function describePolicies(policies: Policies): string {
  const dense = policies.dense === "conv"
    ? "dense layers as 1x1 convs"
    : policies.dense === "skip"
    ? "dense layers left dense"
    : policies.dense === "neuron"
    ? "dense layers by output neuron"
    : "dense layers element-wise";
  const pointwise = policies.pointwise === "skip" ? "1x1 convs left dense" : "1x1 convs pruned";
  const depthwise = policies.depthwise === "skip"
    ? "depthwise convs left dense"
    : "depthwise convs by kernel";
  return `${dense}, ${pointwise}, ${depthwise}`;
}

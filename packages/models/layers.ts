/**
 * Finds the prunable layers of a tfjs-layers model: what the pruning bridge, the summary and the
 * accelerator models work on.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ConvGeometry, LayerKind } from "@sparsegrain/core";
import { GroupedConv2D } from "./zoo/_grouped_conv2d.ts";

/**
 * One prunable weight tensor of a tfjs model and where it lives.
 *
 * `kernel` is the single tfjs variable that holds the whole tensor, in tfjs layout
 * (`kernel.shape` equals `shape`): read it with `kernel.read()` and write it back with
 * `kernel.write(tensor)`. Grouped convolutions (Caffe AlexNet conv2/4/5) are one layer whose
 * kernel is `[kh, kw, cin / groups, cout]`, the group kernels concatenated along `cout`, with
 * `geometry.groups` set.
 */
export interface PrunableLayer {
  /** Layer name, unique in the model; configs target layers by it. */
  readonly name: string;
  /** `"conv2d"`, `"dense"` or `"depthwise"`. */
  readonly kind: LayerKind;
  /**
   * Kernel shape in tfjs layout: conv `[kh, kw, cin / groups, cout]`, dense `[in, out]`,
   * depthwise `[kh, kw, cin, multiplier]`.
   */
  readonly shape: readonly number[];
  /** The tfjs variable holding the kernel (the bias, when present, is not part of it). */
  readonly kernel: LayerVariable;
  /** The tfjs layer. */
  readonly layer: Layer;
  /** Spatial geometry of conv and depthwise layers (undefined for dense layers). */
  readonly geometry?: ConvGeometry;
  /** For dense layers: the number of positions the layer is applied at (1 after a flatten). */
  readonly positions: number;
  /**
   * The activations the layer reads, before any `ZeroPadding2D` layer placed in front of it:
   * measure input activation density on this tensor (padding zeros are not activations).
   */
  readonly input: SymbolicTensor;
}

/**
 * A tfjs-layers model (`tf.LayersModel` from `@tensorflow/tfjs`). Aliased so the package's
 * documentation can name it.
 */
export type LayersModel = tf.LayersModel;

/** A tfjs-layers weight variable (`tf.LayerVariable`): `read()` it, `write(tensor)` it. */
export type LayerVariable = tf.LayerVariable;

/** A tfjs-layers layer (`tf.layers.Layer`). */
export type Layer = tf.layers.Layer;

/** A tensor of a tfjs-layers model graph (`tf.SymbolicTensor`). */
export type SymbolicTensor = tf.SymbolicTensor;

type Shape = readonly (number | null)[];

function firstShape(shapes: unknown): Shape {
  const s = shapes as (number | null)[] | (number | null)[][];
  return (Array.isArray(s[0]) ? s[0] : s) as Shape;
}

function pair(v: unknown, fallback: number): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === "number") return [v, v];
  const a = v as number[];
  return [a[0], a.length > 1 ? a[1] : a[0]];
}

function kernelVariable(layer: tf.layers.Layer, suffix: string): tf.LayerVariable {
  const v = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  if (v === undefined) {
    throw new RangeError(
      `Layer "${layer.name}" has no "${suffix}" weight: build the model (call it on an input) before listing its prunable layers`,
    );
  }
  return v;
}

function spatial(layer: tf.layers.Layer, groups: number): ConvGeometry {
  const node = layer.inboundNodes[0];
  if (node === undefined) {
    throw new RangeError(
      `Layer "${layer.name}" is not connected: build the model before listing its prunable layers`,
    );
  }
  const input = firstShape(node.inputShapes);
  const output = firstShape(node.outputShapes);
  const dims = [input[1], input[2], output[1], output[2]];
  if (dims.some((d) => d === null)) {
    throw new RangeError(
      `Layer "${layer.name}" has an unknown spatial size: build the model with a fixed inputShape`,
    );
  }
  const config = layer.getConfig();
  return {
    inputHeight: dims[0] as number,
    inputWidth: dims[1] as number,
    outputHeight: dims[2] as number,
    outputWidth: dims[3] as number,
    strides: pair(config.strides, 1),
    dilation: pair(config.dilationRate, 1),
    padding: config.padding === "same" ? "same" : "valid",
    groups,
  };
}

/** The layer's input, or the input of the zero-padding layer that feeds it. */
function activationInput(layer: tf.layers.Layer): SymbolicTensor {
  const node = layer.inboundNodes[0];
  const source = node?.inboundLayers[0];
  if (source !== undefined && source.getClassName() === "ZeroPadding2D") {
    return source.input as SymbolicTensor;
  }
  return layer.input as SymbolicTensor;
}

function describe(layer: tf.layers.Layer): PrunableLayer | undefined {
  const className = layer.getClassName();
  if (className === "Conv2D" || className === GroupedConv2D.className) {
    const kernel = kernelVariable(layer, "kernel");
    const groups = layer instanceof GroupedConv2D ? layer.groups : 1;
    return {
      name: layer.name,
      kind: "conv2d",
      shape: kernel.shape as number[],
      kernel,
      layer,
      geometry: spatial(layer, groups),
      positions: 1,
      input: activationInput(layer),
    };
  }
  if (className === "DepthwiseConv2D") {
    const kernel = kernelVariable(layer, "depthwise_kernel");
    return {
      name: layer.name,
      kind: "depthwise",
      shape: kernel.shape as number[],
      kernel,
      layer,
      geometry: spatial(layer, kernel.shape[2] as number),
      positions: 1,
      input: activationInput(layer),
    };
  }
  if (className === "Dense") {
    const kernel = kernelVariable(layer, "kernel");
    const node = layer.inboundNodes[0];
    const input = node === undefined ? [] : firstShape(node.inputShapes);
    let positions = 1;
    for (let i = 1; i < input.length - 1; i++) positions *= input[i] ?? 1;
    return {
      name: layer.name,
      kind: "dense",
      shape: kernel.shape as number[],
      kernel,
      layer,
      positions,
      input: activationInput(layer),
    };
  }
  return undefined;
}

function collect(layers: readonly tf.layers.Layer[], out: PrunableLayer[]): void {
  for (const layer of layers) {
    const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
    if (layer instanceof tf.LayersModel && nested !== undefined) {
      collect(nested, out);
      continue;
    }
    const found = describe(layer);
    if (found !== undefined) out.push(found);
  }
}

/**
 * Lists the prunable layers of a built tfjs-layers model, in the model's layer order.
 *
 * Recognised: `Conv2D` (kind `"conv2d"`, groups 1), the zoo's grouped conv (`"conv2d"`, one
 * logical layer with `geometry.groups > 1`), `DepthwiseConv2D` (`"depthwise"`, groups = cin) and
 * `Dense` (`"dense"`). Other layers (pooling, batch norm, separable and 1-D/3-D convs) are not
 * listed. Nested models are searched. Geometry comes from the layer's first inbound node, so the
 * model must have a fixed spatial input size; a conv behind a `ZeroPadding2D` layer reports the
 * padded input size with `"valid"` padding (true output size and MACs), and its `input` is the
 * unpadded tensor.
 *
 * @param model A built tfjs-layers model.
 * @returns One entry per prunable layer; nothing is copied (the variables are the model's own).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { prunableLayers } from "@sparsegrain/models";
 *
 * await tf.ready();
 *
 * const input = tf.input({ shape: [8, 8, 3] });
 * const conv = tf.layers.conv2d({ name: "conv1", filters: 4, kernelSize: 3 }).apply(input);
 * const flat = tf.layers.flatten().apply(conv);
 * const out = tf.layers.dense({ name: "fc", units: 2 }).apply(flat) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: out });
 *
 * const layers = prunableLayers(model);
 * assert(layers.length === 2);
 * assert(layers[0].shape.join("x") === "3x3x3x4");
 * assert(layers[0].geometry?.outputHeight === 6);
 * assert(layers[1].kind === "dense");
 * model.dispose();
 * ```
 */
export function prunableLayers(model: LayersModel): PrunableLayer[] {
  const out: PrunableLayer[] = [];
  collect(model.layers, out);
  return out;
}

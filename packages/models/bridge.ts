/**
 * The bridge between a tfjs model and core's typed-array world: read the prunable kernels as
 * {@link LayerWeights} (with conv geometry), multiply masks into them, write weights back, and
 * swap in linearly quantised weights for an evaluation. Each direction copies once: a read is one
 * copy out of the backend, a write one copy into it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import {
  LayerError,
  type LayerWeights,
  type Mask,
  type QuantizationReport,
  quantizeLinear,
} from "@sparsegrain/core";
import { type LayersModel, type PrunableLayer, prunableLayers } from "./layers.ts";
import type { Tensor } from "./training/tensor_types.ts";

function byName(model: LayersModel): Map<string, PrunableLayer> {
  return new Map(prunableLayers(model).map((l) => [l.name, l]));
}

function lookup(layers: Map<string, PrunableLayer>, name: string): PrunableLayer {
  const layer = layers.get(name);
  if (layer === undefined) {
    throw new LayerError(
      name,
      "name",
      `no prunable layer of that name in the model: use one of ${
        [...layers.keys()].map((k) => `"${k}"`).join(", ")
      }`,
    );
  }
  return layer;
}

function size(shape: readonly number[]): number {
  return shape.reduce((p, v) => p * v, 1);
}

/**
 * Reads every prunable kernel of a model as core {@link LayerWeights}, in layer order, with the
 * layer's kind and geometry. The values are a copy (the model is not affected by changes to it).
 *
 * @param model a built tfjs-layers model
 * @param names only these layers (default: all prunable layers)
 * @returns one entry per layer
 * @throws {LayerError} for a name that is not a prunable layer
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractLayerWeights, smallCnn } from "@sparsegrain/models";
 * const model = smallCnn({ seed: 1 });
 * const layers = extractLayerWeights(model);
 * assert(layers[0].name === "conv1" && layers[0].values.length === 3 * 3 * 1 * 32);
 * assert(layers[0].geometry?.outputHeight === 26);
 * model.dispose();
 * ```
 */
export function extractLayerWeights(
  model: LayersModel,
  names?: readonly string[],
): LayerWeights[] {
  const all = prunableLayers(model);
  const chosen = names === undefined
    ? all
    : names.map((n) => lookup(new Map(all.map((l) => [l.name, l])), n));
  return chosen.map((l) => ({
    name: l.name,
    kind: l.kind,
    shape: l.shape,
    values: l.kernel.read().dataSync() as Float32Array,
    ...(l.geometry === undefined ? {} : { geometry: l.geometry }),
  }));
}

/**
 * Writes weights back into the model's kernels (one copy into the backend per layer).
 *
 * @param model the model the weights came from
 * @param layers weights by layer name; shapes must match the kernels
 * @throws {LayerError} for an unknown layer or a shape or length mismatch
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractLayerWeights, smallCnn, writeLayerWeights } from "@sparsegrain/models";
 * const model = smallCnn({ seed: 1 });
 * const [conv1] = extractLayerWeights(model, ["conv1"]);
 * conv1.values.fill(0);
 * writeLayerWeights(model, [conv1]);
 * assert(extractLayerWeights(model, ["conv1"])[0].values.every((v) => v === 0));
 * model.dispose();
 * ```
 */
export function writeLayerWeights(
  model: LayersModel,
  layers: readonly Pick<LayerWeights, "name" | "values">[],
): void {
  const known = byName(model);
  for (const w of layers) {
    const layer = lookup(known, w.name);
    if (w.values.length !== size(layer.shape)) {
      throw new LayerError(
        w.name,
        "values",
        `expected ${size(layer.shape)} values for shape [${
          layer.shape.join(", ")
        }], found ${w.values.length}: write weights extracted from this model`,
      );
    }
  }
  for (const w of layers) {
    const layer = lookup(known, w.name);
    tf.tidy(() => {
      layer.kernel.write(tf.tensor(w.values, layer.shape as number[], "float32"));
    });
  }
}

function checkMask(layer: PrunableLayer, mask: Mask): void {
  if (mask.length !== size(layer.shape)) {
    throw new LayerError(
      layer.name,
      "mask",
      `expected ${size(layer.shape)} entries for shape [${
        layer.shape.join(", ")
      }], found ${mask.length}: pass a mask over the layer's elements`,
    );
  }
}

/**
 * Turns masks into float 0/1 tensors shaped like the kernels (kept by the caller, who disposes
 * them), for the training loop.
 *
 * @param model the model
 * @param masks element masks by layer name
 * @returns mask tensors by layer name
 * @throws {LayerError} for an unknown layer or a mask of the wrong length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { maskTensors, smallCnn } from "@sparsegrain/models";
 * const model = smallCnn({ seed: 1 });
 * const t = maskTensors(model, { fc2: new Uint8Array(1280).fill(1) });
 * assert(t.fc2.shape.join() === "128,10");
 * tf.dispose(Object.values(t));
 * model.dispose();
 * ```
 */
export function maskTensors(
  model: LayersModel,
  masks: Readonly<Record<string, Mask>>,
): Record<string, Tensor> {
  const known = byName(model);
  const layers = Object.keys(masks).map((name) => lookup(known, name));
  for (const layer of layers) checkMask(layer, masks[layer.name]);
  const out: Record<string, tf.Tensor> = {};
  for (const layer of layers) {
    const m = masks[layer.name];
    const f = new Float32Array(m.length);
    for (let i = 0; i < m.length; i++) f[i] = m[i] !== 0 ? 1 : 0;
    out[layer.name] = tf.tensor(f, layer.shape as number[], "float32");
  }
  return out;
}

/**
 * Multiplies masks into the model's kernels: pruned weights become exactly 0.
 *
 * @param model the model
 * @param masks element masks by layer name (1 keeps, 0 prunes)
 * @throws {LayerError} for an unknown layer or a mask of the wrong length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyMasks, extractLayerWeights, smallCnn } from "@sparsegrain/models";
 * const model = smallCnn({ seed: 1 });
 * applyMasks(model, { fc2: new Uint8Array(1280) });
 * assert(extractLayerWeights(model, ["fc2"])[0].values.every((v) => v === 0));
 * model.dispose();
 * ```
 */
export function applyMasks(model: LayersModel, masks: Readonly<Record<string, Mask>>): void {
  const tensors = maskTensors(model, masks);
  const known = byName(model);
  try {
    for (const [name, m] of Object.entries(tensors)) {
      const kernel = lookup(known, name).kernel;
      tf.tidy(() => {
        // + 0 turns the -0 of negative pruned weights into +0.
        kernel.write(tf.add(tf.mul(kernel.read(), m), 0));
      });
    }
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** What {@link quantizeModelWeights} did, and how to undo it. */
export interface QuantizedWeights {
  /** Quantisation report per layer. */
  readonly reports: Readonly<Record<string, QuantizationReport>>;
  /** Puts the original float weights back. */
  restore(): void;
}

/** Options of {@link quantizeModelWeights}. */
export interface QuantizeOptions {
  /** Bits per kept weight (core `quantizeLinear`). @default 8 */
  bits?: number;
  /** Masks by layer name; layers without one keep every weight. */
  masks?: Readonly<Record<string, Mask>>;
  /** Layers to quantise. @default every prunable layer */
  layers?: readonly string[];
}

/**
 * Replaces the prunable kernels with their linearly quantised values (core `quantizeLinear`,
 * symmetric, one scale per layer; pruned weights become 0), so that an evaluation measures the
 * accuracy effect of 8-bit storage. Biases and other weights stay float.
 *
 * @param model the model
 * @param options bits, masks and layers
 * @returns the per-layer reports and a `restore()` that puts the float weights back
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractLayerWeights, quantizeModelWeights, smallCnn } from "@sparsegrain/models";
 * const model = smallCnn({ seed: 1 });
 * const before = extractLayerWeights(model, ["fc2"])[0].values;
 * const q = quantizeModelWeights(model, { bits: 4 });
 * assert(q.reports.fc2.bits === 4);
 * q.restore();
 * assert(extractLayerWeights(model, ["fc2"])[0].values.every((v, i) => v === before[i]));
 * model.dispose();
 * ```
 */
export function quantizeModelWeights(
  model: LayersModel,
  options: QuantizeOptions = {},
): QuantizedWeights {
  const bits = options.bits ?? 8;
  const original = extractLayerWeights(model, options.layers);
  const known = byName(model);
  const reports: Record<string, QuantizationReport> = {};
  const quantized = original.map((layer) => {
    const mask = options.masks?.[layer.name] ?? new Uint8Array(layer.values.length).fill(1);
    checkMask(lookup(known, layer.name), mask);
    const q = quantizeLinear(layer.values, mask, bits);
    reports[layer.name] = q.report;
    return { name: layer.name, values: q.values };
  });
  writeLayerWeights(model, quantized);
  return { reports, restore: () => writeLayerWeights(model, original) };
}

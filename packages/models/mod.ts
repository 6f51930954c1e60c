/**
 * Real networks for sparsegrain: a tfjs-layers model zoo (ImageNet architectures for
 * weight-free analysis, small networks trained on real Fashion-MNIST), the prunable-layer view
 * the pruning bridge works on, model summaries with grain counts, and model persistence.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { prunableLayers } from "@sparsegrain/models";
 *
 * const input = tf.input({ shape: [4] });
 * const out = tf.layers.dense({ name: "fc", units: 2 }).apply(input) as tf.SymbolicTensor;
 * const model = tf.model({ inputs: input, outputs: out });
 * console.assert(prunableLayers(model)[0].name === "fc");
 * model.dispose();
 * ```
 *
 * @module
 */
export { prunableLayers } from "./layers.ts";
export type { Layer, LayersModel, LayerVariable, PrunableLayer } from "./layers.ts";

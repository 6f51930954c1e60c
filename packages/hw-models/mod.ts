/**
 * Accelerator cost models for sparsegrain: an SCNN-like sparse accelerator (`scnn`) and its
 * dense baselines (`dense`, `dense-opt`), counting products, cycles, memory references by kind,
 * DRAM traffic and energy from a layer's real mask and grains and its activation density.
 * Counting is closed-form (one pass over the mask, never per product); see docs/hw-models.md
 * for every formula and assumption.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, createRegistries, expandGrainMask } from "@sparsegrain/core";
 * import { registerAccelerators } from "@sparsegrain/hw-models";
 *
 * const registries = createRegistries();
 * registerAccelerators(registries);
 * const layer = {
 *   name: "conv", kind: "conv2d" as const, shape: [3, 3, 8, 8], values: new Float32Array(576),
 *   geometry: { inputHeight: 16, inputWidth: 16, outputHeight: 16, outputWidth: 16,
 *     strides: [1, 1] as [number, number], dilation: [1, 1] as [number, number],
 *     padding: "same" as const, groups: 1 },
 * };
 * const kernels = blockGrains(layer.shape, [3, 3, 1, 1]);
 * const mask = expandGrainMask(Uint8Array.from({ length: 64 }, (_, i) => i % 3 === 0 ? 1 : 0), kernels);
 * const scnn = registries.accelerator.get("scnn").evaluate(layer, mask, kernels, { input: 0.5 });
 * const dense = registries.accelerator.get("dense").evaluate(layer, mask, kernels, { input: 0.5 });
 * assert(scnn.cycles < dense.cycles && scnn.totalEnergy < dense.totalEnergy);
 * ```
 *
 * @module
 */
export type { AcceleratorOptions, MergePolicy } from "./accelerator_options.ts";
export type { HwLayerCost } from "./hw_layer_cost.ts";
export type { HwAcceleratorModel } from "./scnn.ts";
export type { EnergyTable } from "./energy_table.ts";
export { energyTable, HOROWITZ_45NM } from "./energy_table.ts";
export { scnnModel } from "./scnn.ts";
export { denseModel, denseOptModel } from "./dense.ts";
export { ACCELERATOR_NAMES, createAccelerator, registerAccelerators } from "./register.ts";
export { sparseloopYaml } from "./sparseloop.ts";
export type { SparseloopOptions } from "./sparseloop.ts";

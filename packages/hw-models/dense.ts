import { evaluateOn } from "./_evaluate.ts";
import { describeMachine, machineOptions, resolveMachine } from "./_machine.ts";
import type { AcceleratorOptions } from "./accelerator_options.ts";
import type { HwAcceleratorModel } from "./scnn.ts";

/**
 * The dense baseline (SCNN's DCNN): the same PEs, multipliers, tiling and accumulators as
 * `scnn`, with no zero skipping and no indices. Every weight and activation is processed, so
 * its costs do not depend on the mask or the activation density.
 *
 * @param options machine parameters; SCNN's by default
 * @returns the model, registered as `"dense"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { denseModel } from "@sparsegrain/hw-models";
 * const fc = { name: "fc", kind: "dense" as const, shape: [16, 8], values: new Float32Array(128) };
 * const grains = blockGrains([16, 8], [1, 1]);
 * const cost = denseModel().evaluate(fc, new Uint8Array(128), grains, { input: 0.5 });
 * assert(cost.products === 128);
 * ```
 */
export function denseModel(options?: AcceleratorOptions): HwAcceleratorModel {
  const machine = resolveMachine(options, "dense");
  return {
    name: "dense",
    version: "1.0.0",
    options: machineOptions(machine),
    describe: () =>
      `Dense baseline (DCNN): ${describeMachine(machine)}, no zero skipping, no indices`,
    evaluate: (layer, mask, grains, activation) =>
      evaluateOn("dense", "dense", machine, layer, mask, grains, activation),
  };
}

/**
 * The optimised dense baseline (SCNN's DCNN-opt): the dense machine's cycles and on-chip
 * traffic, with multiplies and adds gated off when an operand is zero and activations
 * compressed (zero-run coded) in DRAM.
 *
 * @param options machine parameters; SCNN's by default
 * @returns the model, registered as `"dense-opt"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { denseOptModel } from "@sparsegrain/hw-models";
 * const fc = { name: "fc", kind: "dense" as const, shape: [16, 8], values: new Float32Array(128) };
 * const mask = new Uint8Array(128).fill(1, 0, 64);
 * const cost = denseOptModel().evaluate(fc, mask, blockGrains([16, 8], [1, 1]), { input: 1 });
 * assert(cost.products === 64);
 * ```
 */
export function denseOptModel(options?: AcceleratorOptions): HwAcceleratorModel {
  const machine = resolveMachine(options, "dense-opt");
  return {
    name: "dense-opt",
    version: "1.0.0",
    options: machineOptions(machine),
    describe: () =>
      `Dense baseline with zero gating and DRAM-compressed activations (DCNN-opt): ${
        describeMachine(machine)
      }`,
    evaluate: (layer, mask, grains, activation) =>
      evaluateOn("dense-opt", "dense-opt", machine, layer, mask, grains, activation),
  };
}

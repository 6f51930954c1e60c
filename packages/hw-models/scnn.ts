import type { AcceleratorModel } from "@sparsegrain/core";
import { evaluateOn } from "./_evaluate.ts";
import { describeMachine, machineOptions, resolveMachine } from "./_machine.ts";
import type { AcceleratorOptions } from "./accelerator_options.ts";
import type { HwLayerCost } from "./hw_layer_cost.ts";

/** An accelerator model whose `evaluate` returns the extended {@link HwLayerCost}. */
export interface HwAcceleratorModel extends AcceleratorModel {
  /** Evaluates one layer given its mask (over elements), grains and input activation density. */
  evaluate(...args: Parameters<AcceleratorModel["evaluate"]>): HwLayerCost;
}

/**
 * The SCNN-like sparse accelerator (PT-IS-CP-sparse, Parashar et al. 2017) as a cost model:
 * planar-tiled input-stationary Cartesian products of non-zero weights and activations,
 * compressed weights with one zero-run index per grain fragment, accumulator merging for
 * coarse grains. Counts come from the real mask in closed form (no enumeration of products).
 *
 * @param options machine parameters; SCNN's by default
 * @returns the model, registered as `"scnn"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains } from "@sparsegrain/core";
 * import { scnnModel } from "@sparsegrain/hw-models";
 * const layer = {
 *   name: "conv", kind: "conv2d" as const, shape: [3, 3, 2, 4], values: new Float32Array(72),
 *   geometry: { inputHeight: 8, inputWidth: 8, outputHeight: 8, outputWidth: 8, strides: [1, 1] as [number, number],
 *     dilation: [1, 1] as [number, number], padding: "same" as const, groups: 1 },
 * };
 * const cost = scnnModel().evaluate(layer, new Uint8Array(72).fill(1), blockGrains([3, 3, 2, 4], [1, 1, 1, 1]), { input: 1 });
 * assert(cost.products === cost.macs);
 * ```
 */
export function scnnModel(options?: AcceleratorOptions): HwAcceleratorModel {
  const machine = resolveMachine(options, "scnn");
  return {
    name: "scnn",
    version: "1.0.0",
    options: machineOptions(machine),
    describe: () =>
      `SCNN-like sparse accelerator (PT-IS-CP-sparse): ${
        describeMachine(machine)
      }, ${machine.indexBits}-bit zero-run indices per grain fragment, accumulator merging "${machine.merge}" (${machine.accumulatorPortWidth}-entry port)`,
    evaluate: (layer, mask, grains, activation) =>
      evaluateOn("scnn", "scnn", machine, layer, mask, grains, activation),
  };
}

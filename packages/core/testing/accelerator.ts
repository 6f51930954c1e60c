import assert from "node:assert/strict";
import { blockGrains } from "../block_grains.ts";
import { expandGrainMask, reduceGrains } from "../grain_ops.ts";
import { selectTopK } from "../select.ts";
import type { AcceleratorModel, LayerCost, LayerWeights } from "../types.ts";
import { checkInfo } from "./_check_info.ts";
import { sampleLayers } from "./sample_layers.ts";

/** Dense multiply-accumulates of a layer, from its shape and geometry. */
function denseMacs(layer: LayerWeights): number {
  const size = layer.shape.reduce((a, b) => a * b, 1);
  if (layer.kind === "dense" || !layer.geometry) return size;
  return size * layer.geometry.outputHeight * layer.geometry.outputWidth;
}

function counts(cost: LayerCost): [string, number][] {
  return [
    ["products", cost.products],
    ["cycles", cost.cycles],
    ["dramBytes", cost.dramBytes],
    ["totalEnergy", cost.totalEnergy],
    ...Object.entries(cost.references).map(([k, v]) => [`references.${k}`, v] as [string, number]),
  ];
}

/**
 * Asserts that no count of `cost` rose above its value in `previous` (the cost at the higher
 * density before it; nothing to compare when undefined), beyond rounding. `fell` says which
 * density fell to what, for the message.
 */
function assertNoRise(
  previous: LayerCost | undefined,
  cost: LayerCost,
  where: string,
  fell: string,
): void {
  if (!previous) return;
  const before = new Map(counts(previous));
  for (const [name, value] of counts(cost)) {
    assert.ok(
      value <= before.get(name)! * (1 + 1e-9) + 1e-9,
      `${where}: ${name} rose from ${before.get(name)} to ${value} as ${fell}`,
    );
  }
}

/**
 * Checks an accelerator model on the sample layers: at weight and activation density 1 the
 * products equal the layer's dense MACs; every count (products, cycles, DRAM bytes, energy,
 * each memory reference kind) is finite, non-negative and does not rise as the weight density
 * falls along nested masks (whole kernels and single weights) or as the activation density
 * falls.
 *
 * @param model the plugin under test
 * @param options layers to use instead of the sample layers
 * @example
 * ```ts
 * import { assertAcceleratorConforms } from "@sparsegrain/core/testing";
 * import type { AcceleratorModel } from "@sparsegrain/core";
 * const ideal: AcceleratorModel = { name: "ideal", version: "1.0.0", describe: () => "one product per cycle",
 *   evaluate(layer, mask, _grains, act) {
 *     const positions = layer.geometry ? layer.geometry.outputHeight * layer.geometry.outputWidth : 1;
 *     let kept = 0; for (const m of mask) kept += m;
 *     const products = kept * positions * act.input;
 *     const references = { weight: kept, index: 0, inputActivation: products, accumulatorRead: products,
 *       accumulatorWrite: products, outputWrite: 0 };
 *     return { layer: layer.name, accelerator: "ideal", macs: mask.length * positions, products,
 *       cycles: products, utilisation: 1, references, dramBytes: kept, energy: { mult: products }, totalEnergy: products };
 *   } };
 * assertAcceleratorConforms(ideal);
 * ```
 */
export function assertAcceleratorConforms(
  model: AcceleratorModel,
  options: { readonly layers?: readonly LayerWeights[] } = {},
): void {
  checkInfo(model);
  for (const layer of options.layers ?? sampleLayers(4)) {
    const where = `accelerator "${model.name}" on layer "${layer.name}"`;
    const all = new Uint8Array(layer.values.length).fill(1);
    const fine = blockGrains(layer.shape, layer.shape.map(() => 1));
    const full = model.evaluate(layer, all, fine, { input: 1 });
    assert.equal(full.macs, denseMacs(layer), `${where}: macs`);
    assert.equal(
      full.products,
      full.macs,
      `${where}: at density 1.0/1.0 products must equal dense MACs`,
    );
    const coarse = layer.kind === "dense"
      ? fine
      : blockGrains(layer.shape, [layer.shape[0], layer.shape[1], 1, 1]);
    for (const grains of [fine, coarse]) {
      const scores = reduceGrains(layer.values, grains, "sum-abs");
      let previous: LayerCost | undefined;
      let eligible: Uint8Array | undefined;
      for (const density of [1, 0.75, 0.5, 0.3, 0.1, 0.02]) {
        const keep = Math.max(1, Math.round(density * grains.count));
        const grainMask = selectTopK(scores, keep, eligible);
        eligible = grainMask;
        const cost = model.evaluate(layer, expandGrainMask(grainMask, grains), grains, {
          input: 0.6,
        });
        for (const [name, value] of counts(cost)) {
          assert.ok(Number.isFinite(value) && value >= 0, `${where}: ${name} is ${value}`);
        }
        assertNoRise(previous, cost, where, `weight density fell to ${density}`);
        previous = cost;
      }
    }
    let previous: LayerCost | undefined;
    for (const input of [1, 0.7, 0.4, 0.1, 0]) {
      const cost = model.evaluate(layer, all, fine, { input });
      assertNoRise(previous, cost, where, `activation density fell to ${input}`);
      previous = cost;
    }
  }
}

import { LayerError } from "@sparsegrain/core";
import type { ActivationDensity, Grains, LayerWeights, Mask } from "@sparsegrain/core";
import { channelDensities, finishCost } from "./_finish.ts";
import type { Flavour } from "./_finish.ts";
import type { Machine } from "./_machine.ts";
import { blockOf, buildPlan } from "./_plan.ts";
import { normalizeProblem } from "./_problem.ts";
import { tallyDense, tallyMask } from "./_tally.ts";
import type { HwLayerCost } from "./hw_layer_cost.ts";

/** Evaluates one layer on one of the three machines. */
export function evaluateOn(
  flavour: Flavour,
  name: string,
  machine: Machine,
  layer: LayerWeights,
  mask: Mask,
  grains: Grains,
  activation: ActivationDensity,
): HwLayerCost {
  const problem = normalizeProblem(layer);
  if (!(mask instanceof Uint8Array) || mask.length !== problem.elements) {
    throw new LayerError(
      problem.name,
      "mask",
      `expected ${problem.elements} entries (one per weight of shape [${layer.shape}]), found ${
        mask instanceof Uint8Array ? mask.length : typeof mask
      }: pass a Uint8Array mask over the layer's elements`,
    );
  }
  if (grains === null || typeof grains !== "object" || grains.elements !== problem.elements) {
    throw new LayerError(
      problem.name,
      "grains",
      `the grains cover ${grains?.elements} elements but the layer has ${problem.elements}: partition this layer's weights`,
    );
  }
  const kernel: [number, number, number, number] = [problem.R, problem.S, 1, 1];
  if (flavour === "scnn") {
    const plan = buildPlan(problem, machine, blockOf(problem, layer.shape, grains));
    const density = channelDensities(plan, activation);
    const tallies = tallyMask(plan, mask);
    return finishCost(plan, flavour, name, tallies, tallies, density, activation.input);
  }
  const plan = buildPlan(problem, machine, kernel);
  const density = channelDensities(plan, activation);
  const dense = tallyDense(plan);
  if (flavour === "dense") {
    return finishCost(plan, flavour, name, dense, dense, density, activation.input);
  }
  const kept = tallyMask(buildPlan(problem, machine, [1, 1, 1, 1]), mask);
  return finishCost(plan, flavour, name, kept, dense, density, activation.input);
}

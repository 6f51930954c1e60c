/**
 * The TF-free heart of sparsegrain: plugin contracts, registries, typed errors, grains and the
 * pruning engine. No tensors here: everything works on typed arrays.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { blockGrains, reduceGrains } from "@sparsegrain/core";
 * const kernels = blockGrains([3, 3, 1, 2], [3, 3, 1, 1]);
 * const l1 = reduceGrains(new Float32Array(18).fill(1), kernels, "sum-abs");
 * assert(l1[0] === 9);
 * ```
 *
 * @module
 */
export type {
  AcceleratorModel,
  ActivationDensity,
  BlockLayout,
  ConvGeometry,
  EncodedLayer,
  Encoder,
  GrainGroups,
  Grains,
  Granularity,
  LayerCost,
  LayerKind,
  LayerWeights,
  Mask,
  MemoryRefKind,
  PluginInfo,
  PluginKind,
  QuantizationReport,
  SaliencyContext,
  SaliencyMetric,
  StorageBits,
} from "./types.ts";
export {
  BitstreamError,
  ConfigError,
  DatasetError,
  DuplicatePluginError,
  LayerError,
  PluginNotFoundError,
  UserError,
} from "./errors.ts";
export { createRegistries, PLUGIN_KINDS, Registry } from "./registry.ts";
export type { Registries } from "./registry.ts";
export { blockGrains } from "./block_grains.ts";
export { countKeptPerGrain, expandGrainMask, grainSizes, reduceGrains } from "./grain_ops.ts";
export type { GrainReduction } from "./grain_ops.ts";
export { validateLayer } from "./validate.ts";
export { selectByBudget, selectPerGroup, selectTopK } from "./select.ts";
export type { Candidates } from "./select.ts";
export { pruneLayers } from "./prune.ts";
export type { DensityTarget, LayerPruneResult, PruneOptions } from "./prune.ts";
export { agp, iterative, oneShot } from "./schedule.ts";
export type { Schedule } from "./schedule.ts";
export { maskStats } from "./mask_stats.ts";
export type { MaskStats, ZeroBreakdown } from "./mask_stats.ts";
export { quantizeLinear } from "./quantize.ts";
export type { Quantized } from "./quantize.ts";
export { BitReader, BitWriter } from "./bits.ts";
export { heNormalWeights, seededRandom } from "./random.ts";

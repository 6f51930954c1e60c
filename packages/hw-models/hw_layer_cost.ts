import type { LayerCost } from "@sparsegrain/core";

/**
 * A {@link LayerCost} with the extra counts the sparsegrain accelerator models report. `energy`
 * has the keys `multiply`, `add`, `weight`, `index`, `inputActivation`, `accumulatorRead`,
 * `accumulatorWrite`, `outputWrite` and `dram` (pJ).
 */
export interface HwLayerCost extends LayerCost {
  /** Multiplications the multiplier array performs, including products whose output falls
   * outside the layer (stride gaps, tile edges); gated multiplies excluded. */
  readonly issuedProducts: number;
  /** Partial sums added into accumulators. */
  readonly accumulations: number;
  /** Weight entries streamed (stored values plus filler placeholders), each read once per pass. */
  readonly weightEntries: number;
  /** Filler placeholders written because a zero run overflowed the index. */
  readonly fillers: number;
  /** Output channels processed together (Kc) on this layer. */
  readonly kc: number;
  /** Output channels with at least one streamed weight (drained and written). */
  readonly liveOutputs: number;
}

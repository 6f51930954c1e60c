/**
 * How partial sums that land on neighbouring outputs share one accumulator access:
 * `"none"` (one read-modify-write per product), `"rows"` (products of one kernel-row grain and
 * one activation, which land in one output row), `"kernels"` (products of one kernel grain and
 * one activation, which land in a kh x kw output window), `"auto"` (the coarsest the grain
 * offers: windows for grains spanning several kernel rows, rows for kernel-row grains).
 */
export type MergePolicy = "none" | "rows" | "kernels" | "auto";

/**
 * Parameters of the accelerator models (`scnn`, `dense`, `dense-opt`). Every field is optional;
 * the defaults are SCNN's (Parashar et al., ISCA 2017) where the paper gives them and ours,
 * documented in docs/hw-models.md, where it does not.
 */
export interface AcceleratorOptions {
  /** PE grid rows. @default 8 */
  readonly peRows?: number;
  /** PE grid columns. @default 8 */
  readonly peCols?: number;
  /** Weights fetched per cycle per PE (SCNN's F). @default 4 */
  readonly weightsPerCycle?: number;
  /** Activations fetched per cycle per PE (SCNN's I). @default 4 */
  readonly activationsPerCycle?: number;
  /** Accumulator banks per PE. @default 32 */
  readonly accumulatorBanks?: number;
  /** Entries per accumulator bank. @default 32 */
  readonly accumulatorBankEntries?: number;
  /**
   * Output channels processed together (SCNN's Kc), or `"auto"`: the most whose accumulator
   * footprint (tile plus halo, per channel) fits the accumulator entries. @default "auto"
   */
  readonly kc?: number | "auto";
  /** Input activation RAM per PE, bytes. @default 10240 */
  readonly inputRamBytes?: number;
  /** Output activation RAM per PE, bytes. @default 10240 */
  readonly outputRamBytes?: number;
  /** Weight FIFO entries per PE; a longer weight stream is fetched again per pass. @default 50 */
  readonly weightFifoEntries?: number;
  /** Bits per weight value. @default 16 */
  readonly weightBits?: number;
  /** Bits per activation value. @default 16 */
  readonly activationBits?: number;
  /** Bits per zero-run index (weights and compressed activations). @default 4 */
  readonly indexBits?: number;
  /** Bits per accumulator entry. @default 24 */
  readonly accumulatorBits?: number;
  /** Accumulator merging policy. @default "auto" */
  readonly merge?: MergePolicy;
  /** Accumulator entries one merged access can read or write. @default 4 */
  readonly accumulatorPortWidth?: number;
  /**
   * Count the zero-padding taps of "same" convolutions as activations (at the layer's
   * activation density), as conventional MAC counts do; `false` lets them cost nothing.
   * @default true
   */
  readonly countPadding?: boolean;
  /**
   * Density of the layer's output activations, used to size compressed outputs spilled to DRAM.
   * @default the layer's input activation density
   */
  readonly outputDensity?: number;
  /** Arithmetic whose add and multiply energies apply. @default "int" */
  readonly arithmetic?: "int" | "float";
  /** Energy-table overrides in pJ per 32-bit operation. @default the 45 nm Horowitz figures */
  readonly energyTable?: Readonly<Record<string, number>>;
}

import { ConfigError } from "@sparsegrain/core";
import type { AcceleratorOptions, MergePolicy } from "./accelerator_options.ts";
import { energyTable } from "./energy_table.ts";
import type { EnergyTable } from "./energy_table.ts";

/** Fully resolved accelerator parameters. */
export interface Machine {
  readonly peRows: number;
  readonly peCols: number;
  readonly weightsPerCycle: number;
  readonly activationsPerCycle: number;
  readonly accumulatorBanks: number;
  readonly accumulatorBankEntries: number;
  readonly kc: number | "auto";
  readonly inputRamBytes: number;
  readonly outputRamBytes: number;
  readonly weightFifoEntries: number;
  readonly weightBits: number;
  readonly activationBits: number;
  readonly indexBits: number;
  readonly accumulatorBits: number;
  readonly merge: MergePolicy;
  readonly accumulatorPortWidth: number;
  readonly countPadding: boolean;
  readonly outputDensity: number | undefined;
  readonly arithmetic: "int" | "float";
  readonly energy: EnergyTable;
}

const DEFAULTS = {
  peRows: 8,
  peCols: 8,
  weightsPerCycle: 4,
  activationsPerCycle: 4,
  accumulatorBanks: 32,
  accumulatorBankEntries: 32,
  kc: "auto",
  inputRamBytes: 10240,
  outputRamBytes: 10240,
  weightFifoEntries: 50,
  weightBits: 16,
  activationBits: 16,
  indexBits: 4,
  accumulatorBits: 24,
  merge: "auto",
  accumulatorPortWidth: 4,
  countPadding: true,
  outputDensity: undefined,
  arithmetic: "int",
  energyTable: undefined,
} as const;

const INTEGER_KEYS = [
  "peRows",
  "peCols",
  "weightsPerCycle",
  "activationsPerCycle",
  "accumulatorBanks",
  "accumulatorBankEntries",
  "inputRamBytes",
  "outputRamBytes",
  "weightFifoEntries",
  "weightBits",
  "activationBits",
  "indexBits",
  "accumulatorBits",
  "accumulatorPortWidth",
] as const;

/** The option names every accelerator model accepts. */
export const OPTION_KEYS: readonly string[] = Object.keys(DEFAULTS);

/** The merge policies. */
export const MERGE_POLICIES: readonly MergePolicy[] = ["none", "rows", "kernels", "auto"];

/**
 * Validates accelerator options and fills in the defaults. Throws `ConfigError` naming the
 * option on an unknown key or a bad value.
 */
export function resolveMachine(options: AcceleratorOptions | undefined, prefix: string): Machine {
  const given = (options ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new ConfigError(
      prefix,
      `expected an options object, found ${JSON.stringify(options)}: pass e.g. { peRows: 8 }`,
    );
  }
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new ConfigError(
        `${prefix}.${key}`,
        `unknown option "${key}": use one of ${OPTION_KEYS.map((k) => `"${k}"`).join(", ")}`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of INTEGER_KEYS) {
    const value = given[key] ?? DEFAULTS[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new ConfigError(
        `${prefix}.${key}`,
        `found ${JSON.stringify(value)}: use a positive integer (default ${DEFAULTS[key]})`,
      );
    }
    out[key] = value;
  }
  if ((out.indexBits as number) > 16) {
    throw new ConfigError(
      `${prefix}.indexBits`,
      `found ${out.indexBits}: use 1 to 16 bits per zero-run index`,
    );
  }
  const kc = given.kc ?? DEFAULTS.kc;
  if (kc !== "auto" && (typeof kc !== "number" || !Number.isInteger(kc) || kc < 1)) {
    throw new ConfigError(
      `${prefix}.kc`,
      `found ${JSON.stringify(kc)}: use "auto" or a positive integer`,
    );
  }
  const merge = given.merge ?? DEFAULTS.merge;
  if (!MERGE_POLICIES.includes(merge as MergePolicy)) {
    throw new ConfigError(
      `${prefix}.merge`,
      `found ${JSON.stringify(merge)}: use one of ${
        MERGE_POLICIES.map((m) => `"${m}"`).join(", ")
      }`,
    );
  }
  const countPadding = given.countPadding ?? DEFAULTS.countPadding;
  if (typeof countPadding !== "boolean") {
    throw new ConfigError(
      `${prefix}.countPadding`,
      `found ${JSON.stringify(countPadding)}: use true or false`,
    );
  }
  const outputDensity = given.outputDensity;
  if (
    outputDensity !== undefined &&
    (typeof outputDensity !== "number" || !(outputDensity >= 0 && outputDensity <= 1))
  ) {
    throw new ConfigError(
      `${prefix}.outputDensity`,
      `found ${JSON.stringify(outputDensity)}: use a fraction in [0, 1] or leave it out`,
    );
  }
  const arithmetic = given.arithmetic ?? DEFAULTS.arithmetic;
  if (arithmetic !== "int" && arithmetic !== "float") {
    throw new ConfigError(
      `${prefix}.arithmetic`,
      `found ${JSON.stringify(arithmetic)}: use "int" or "float"`,
    );
  }
  return {
    ...(out as Record<(typeof INTEGER_KEYS)[number], number>),
    kc: kc as number | "auto",
    merge: merge as MergePolicy,
    countPadding,
    outputDensity: outputDensity as number | undefined,
    arithmetic,
    energy: energyTable(
      given.energyTable as Record<string, number> | undefined,
      `${prefix}.energyTable`,
    ),
  };
}

/** The options as given plus defaults, for `PluginInfo.options` and reports. */
export function machineOptions(machine: Machine): Readonly<Record<string, unknown>> {
  const { energy, ...rest } = machine;
  return Object.freeze({ ...rest, energyTable: { ...energy } });
}

/** One sentence about a machine's parameters. */
export function describeMachine(machine: Machine): string {
  const kc = machine.kc === "auto" ? "Kc fitted to the accumulators" : `Kc ${machine.kc}`;
  return `${machine.peRows}x${machine.peCols} PEs of ${machine.weightsPerCycle}x${machine.activationsPerCycle} multipliers, ${machine.accumulatorBanks}x${machine.accumulatorBankEntries} accumulator entries per PE (${kc}), ${machine.weightBits}-bit weights`;
}

import { ConfigError } from "@sparsegrain/core";

/**
 * Energy per operation in picojoules. Memory entries are per 32-bit access; a reference of `b`
 * bits is charged `b / 32` of it (energy proportional to bits moved).
 */
export interface EnergyTable {
  /** 32-bit integer add (accumulation in integer arithmetic). */
  readonly intAdd: number;
  /** 32-bit float add (accumulation in float arithmetic). */
  readonly floatAdd: number;
  /** 32-bit register-file access (the weight FIFO). */
  readonly registerFile: number;
  /** 32-bit integer multiply. */
  readonly intMult: number;
  /** 32-bit float multiply. */
  readonly floatMult: number;
  /** 32-bit access to a small (8 KB) SRAM: activation RAMs and accumulator banks. */
  readonly sram: number;
  /** 32-bit DRAM access. */
  readonly dram: number;
}

/**
 * The 45 nm figures of Horowitz (ISSCC 2014) quoted in the SCNN and Mao et al. papers, in pJ.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HOROWITZ_45NM } from "@sparsegrain/hw-models";
 * assert(HOROWITZ_45NM.dram === 640);
 * ```
 */
export const HOROWITZ_45NM: EnergyTable = Object.freeze({
  intAdd: 0.1,
  floatAdd: 0.9,
  registerFile: 1,
  intMult: 3.1,
  floatMult: 3.7,
  sram: 5,
  dram: 640,
});

const KEYS = Object.keys(HOROWITZ_45NM) as (keyof EnergyTable)[];

/**
 * Builds an energy table from the 45 nm Horowitz defaults and overrides. Throws `ConfigError`
 * naming the key on an unknown key (listing the known ones) or a value that is not a finite,
 * non-negative number.
 *
 * @param overrides entries to replace, in pJ; `undefined` keeps every default
 * @param field the config path reported in errors
 * @returns a complete, frozen table
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { energyTable } from "@sparsegrain/hw-models";
 * const table = energyTable({ dram: 200 });
 * assert(table.dram === 200 && table.sram === 5);
 * ```
 */
export function energyTable(
  overrides?: Readonly<Record<string, number>>,
  field = "energyTable",
): EnergyTable {
  if (overrides === undefined) return HOROWITZ_45NM;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError(
      field,
      `expected a map of operation to picojoules, found ${
        JSON.stringify(overrides)
      }: use e.g. { dram: 200 }`,
    );
  }
  const table: Record<string, number> = { ...HOROWITZ_45NM };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(KEYS as string[]).includes(key)) {
      throw new ConfigError(
        `${field}.${key}`,
        `unknown energy-table key "${key}": use one of ${KEYS.map((k) => `"${k}"`).join(", ")}`,
      );
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(
        `${field}.${key}`,
        `found ${
          JSON.stringify(value)
        }: give the energy per 32-bit operation in pJ, a finite number >= 0`,
      );
    }
    table[key] = value;
  }
  return Object.freeze(table) as unknown as EnergyTable;
}

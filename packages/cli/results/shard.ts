import { UserError } from "@sparsegrain/core";

/** A shard of a study: this process runs the units `u` with `u % count === index`. */
export interface Shard {
  /** 0-based shard index. */
  readonly index: number;
  /** Number of shards. */
  readonly count: number;
}

/**
 * Parses `--shard K/N` (K is 0-based, as Slurm's `SLURM_ARRAY_TASK_ID` with `--array=0-(N-1)`
 * and Kubernetes' `JOB_COMPLETION_INDEX`).
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) {
    throw new UserError(
      `Bad --shard "${text}": write K/N with 0 <= K < N, e.g. --shard 0/4 for the first of four`,
    );
  }
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) {
    throw new UserError(
      `Bad --shard "${text}": K must be in [0, N) and N >= 1 (K is 0-based), e.g. --shard ${
        Math.max(0, count - 1)
      }/${Math.max(1, count)}`,
    );
  }
  return { index, count };
}

/**
 * Picks this shard's work units, deterministically: units are dealt round-robin in study order
 * (unit i goes to shard i mod N), which balances shards when costly units are adjacent.
 */
export function shardUnits<T>(units: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...units];
  return units.filter((_, i) => i % shard.count === shard.index);
}

/**
 * The tasks of a sweep on a pool of workers and the order a free worker takes them in:
 * baselines first (every chain of a model and seed waits for its trained baseline, so two
 * workers never train the same one), then accuracy chains, then weight-free points (short, so
 * they fill the workers' last minutes).
 *
 * @module
 */
import type { AccuracyPoint, WorkUnit } from "./points.ts";
import { modelLabel } from "./points.ts";

/** One piece of work a pool worker runs whole. */
export type PoolTask =
  | {
    /** Train (or load from the cache) the dense baseline the chain `unit` starts from. */
    readonly kind: "baseline";
    readonly id: string;
    readonly unit: string;
  }
  | {
    /** Run the accuracy chain `unit`; waits for the task `after` (its baseline). */
    readonly kind: "chain";
    readonly id: string;
    readonly unit: string;
    readonly after: string;
  }
  | {
    /** Run one weight-free point. */
    readonly kind: "weight-free";
    readonly id: string;
    readonly unit: string;
  };

/**
 * The tasks of the units still to run, in the order workers should take them.
 *
 * @param units Work units with at least one point left to run.
 * @returns Baseline tasks (one per model and seed of the chains), chain tasks, weight-free tasks.
 */
export function poolTasks(units: readonly WorkUnit[]): PoolTask[] {
  const baselines = new Map<string, PoolTask>();
  const chains: PoolTask[] = [];
  const weightFree: PoolTask[] = [];
  for (const unit of units) {
    const first = unit.points[0];
    if (first.half === "weight-free") {
      weightFree.push({ kind: "weight-free", id: unit.id, unit: unit.id });
      continue;
    }
    const id = baselineTaskId(first);
    if (!baselines.has(id)) baselines.set(id, { kind: "baseline", id, unit: unit.id });
    chains.push({ kind: "chain", id: unit.id, unit: unit.id, after: id });
  }
  return [...baselines.values(), ...chains, ...weightFree];
}

/** The id of the baseline task a chain point depends on: its model and seed. */
export function baselineTaskId(point: AccuracyPoint): string {
  return `baseline/${modelLabel(point.model)}/s${point.seed}`;
}

/**
 * The index in `queue` of the first task whose dependency has finished, or -1 when every
 * waiting task still waits (or the queue is empty).
 *
 * @param queue Tasks not yet started, in {@link poolTasks} order.
 * @param finished Ids of finished tasks.
 * @returns An index into `queue`, or -1.
 */
export function nextTask(queue: readonly PoolTask[], finished: ReadonlySet<string>): number {
  return queue.findIndex((t) => t.kind !== "chain" || finished.has(t.after));
}

/**
 * Runs a study: checks everything that can be checked before any work (output folder, model
 * layers against density maps, the dataset), then runs this shard's points in order, appending
 * each finished point to results.jsonl, and finally writes the reports.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import type { Study } from "../config/load.ts";
import type { Progress } from "../progress.ts";
import type { ResultLine } from "../results/schema.ts";
import { type Shard, shardUnits } from "../results/shard.ts";
import {
  appendResult,
  openOutput,
  planOutput,
  readResults,
  RESULTS_FILE,
  type StudyRecord,
} from "../results/store.ts";
import { RESULTS_SCHEMA } from "../results/schema.ts";
import { writeReports } from "../report/write.ts";
import type { AccuracyPoint, WeightFreePoint, WorkUnit } from "./points.ts";
import type { UnitPool } from "./pool.ts";
import { poolTasks } from "./pool_tasks.ts";
import { studyUnits } from "./points.ts";
import {
  type LayerShape,
  type ModelShapes,
  resolveActivation,
  resolveDensity,
  weightFreeRunner,
} from "./weight_free.ts";

/** Runs the accuracy half's chains (trained networks). */
export interface AccuracyRunner {
  /** Undefined when the half can run, else the message saying why not and how to fix it. */
  unavailable(study: Study): Promise<string | undefined>;
  /** Checks the models before any work; returns problems as messages. */
  preflight(study: Study, points: readonly AccuracyPoint[]): string[];
  /** Trains the dense baseline of a model and seed (or finds it in the cache). */
  prepare(
    study: Study,
    model: AccuracyPoint["model"],
    seed: number,
    progress: Progress,
  ): Promise<void>;
  /**
   * Runs one chain; `done` holds finished point ids (their checkpoints are in `out`), `emit`
   * appends a finished point.
   */
  runChain(
    study: Study,
    chain: readonly AccuracyPoint[],
    context: {
      readonly out: string;
      readonly done: ReadonlySet<string>;
      readonly progress: Progress;
      emit(line: ResultLine, ms: number): Promise<void>;
    },
  ): Promise<void>;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly out: string;
  readonly resume: boolean;
  readonly shard?: Shard;
}

/** What a sweep did, for `--json`. */
export interface SweepSummary {
  readonly study: string;
  readonly configHash: string;
  readonly out: string;
  readonly quick: boolean;
  readonly shard: string | null;
  readonly points: {
    readonly study: number;
    readonly shard: number;
    readonly alreadyDone: number;
    readonly ran: number;
    readonly skipped: number;
  };
  readonly accuracy: "ran" | "skipped" | "not configured";
  readonly skippedReason: string | null;
  readonly results: number;
  readonly files: readonly string[];
  readonly elapsedMs: number;
}

/** Runs the study's points of this shard in `options.out` and writes the reports. */
export async function runSweep(
  study: Study,
  options: SweepOptions,
  shapes: ModelShapes,
  accuracy: AccuracyRunner,
  progress: Progress,
  pool?: UnitPool,
): Promise<SweepSummary> {
  const started = performance.now();
  const units = studyUnits(study);
  const allPoints = units.flatMap((u) => u.points);
  const mine = shardUnits(units, options.shard);
  const plan = await planOutput(options.out, study.configHash, options.resume);

  // Everything that can fail on user input is checked before the first write.
  const problems: string[] = [];
  const shapeCache = new Map<string, LayerShape[]>();
  const shapesOf = (p: WeightFreePoint): LayerShape[] => {
    const key = JSON.stringify(p.model);
    let s = shapeCache.get(key);
    if (!s) {
      s = shapes(p.model);
      shapeCache.set(key, s);
    }
    return s;
  };
  const wfPoints = mine.flatMap((u) => u.points).filter((p): p is WeightFreePoint =>
    p.half === "weight-free"
  );
  const accPoints = mine.flatMap((u) => u.points).filter((p): p is AccuracyPoint =>
    p.half === "accuracy"
  );
  const checked = new Set<string>();
  for (const p of wfPoints) {
    const key = `${JSON.stringify(p.model)}/${p.density}/${p.activation}`;
    if (checked.has(key)) continue;
    checked.add(key);
    try {
      const layers = shapesOf(p);
      resolveDensity(study, p.density, layers, p.model.name);
      resolveActivation(study, p.activation, layers, p.model.name);
    } catch (error) {
      if (!(error instanceof UserError) && !(error instanceof RangeError)) throw error;
      const message = `Model "${p.model.name}": ${(error as Error).message}`;
      if (!problems.includes(message)) problems.push(message);
    }
  }
  let skippedReason: string | undefined;
  if (accPoints.length > 0) {
    skippedReason = await accuracy.unavailable(study);
    if (!skippedReason) problems.push(...accuracy.preflight(study, accPoints));
  }
  if (problems.length === 1) throw new UserError(problems[0]);
  if (problems.length > 1) {
    throw new UserError(
      `The study cannot run: ${problems.join("; ")}`,
    );
  }

  const record: StudyRecord = {
    schema: RESULTS_SCHEMA,
    configHash: study.configHash,
    name: study.config.name,
    configFile: study.file,
    quick: study.quick,
    config: study.config,
    points: allPoints.length,
  };
  const resultsPath = await openOutput(options.out, plan, record);
  if (skippedReason) progress.warn(skippedReason);

  const runnable = mine.filter((u) => !(skippedReason && u.points[0].half === "accuracy"));
  const todo = runnable.flatMap((u) => u.points).filter((p) => !plan.done.has(p.id));
  const kinds: Record<string, number> = {};
  for (const p of todo) kinds[p.half] = (kinds[p.half] ?? 0) + 1;
  const shardPoints = mine.flatMap((u) => u.points);
  const runnableDone = runnable.flatMap((u) => u.points).filter((p) => plan.done.has(p.id)).length;
  const parallel = pool && pool.size > 1 ? pool : undefined;
  progress.start(runnableDone + todo.length, runnableDone, kinds, parallel?.size ?? 1);

  let ran = 0;
  let writes = Promise.resolve();
  // One writer: lines are appended one at a time, in the order they arrive.
  const emit = (line: ResultLine, ms: number): Promise<void> => {
    const write = writes.then(async () => {
      await appendResult(resultsPath, line);
      ran++;
      progress.pointDone(line.point, line.half, ms);
    });
    writes = write.catch(() => {});
    return write;
  };

  const weightFree = weightFreeRunner(study, shapesOf);
  const runWeightFree = async (p: WeightFreePoint) => {
    const { line, ms } = weightFree.run(p, progress);
    await emit(line, ms);
  };
  const runChains = async (chains: readonly WorkUnit[]) => {
    for (const unit of chains) {
      await accuracy.runChain(study, unit.points as AccuracyPoint[], {
        out: options.out,
        done: plan.done,
        progress,
        emit,
      });
    }
  };
  const wfTodo = runnable.flatMap((u) => u.points).filter((p): p is WeightFreePoint =>
    p.half === "weight-free" && !plan.done.has(p.id)
  );
  const chains = runnable.filter((u) =>
    u.points[0].half === "accuracy" && !u.points.every((p) => plan.done.has(p.id))
  );
  if (parallel) {
    const pending = [...wfTodo.map((p) => ({ id: p.id, points: [p] })), ...chains];
    await parallel.run(study, poolTasks(pending), {
      out: options.out,
      done: plan.done,
      shapes: new Map(wfTodo.map((p) => [JSON.stringify(p.model), shapesOf(p)])),
      point: (id, kind) => progress.point(id, kind),
      detail: (text, transient) => progress.detail(text, transient),
      warn: (text) => progress.warn(text),
      emit,
    });
  } else {
    for (const p of wfTodo) await runWeightFree(p);
    weightFree.release();
    await runChains(chains);
  }
  await writes;
  weightFree.release();
  progress.finish();

  const { lines } = await readResults(resultsPath);
  const written = await writeReports(options.out, lines, record, {
    drops: study.config.report.drops,
    primaryEncoder: study.config.report.primaryEncoder,
  });
  const skipped = skippedReason ? accPoints.length : 0;
  return {
    study: study.config.name,
    configHash: study.configHash,
    out: options.out,
    quick: study.quick,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
    points: {
      study: allPoints.length,
      shard: shardPoints.length,
      alreadyDone: plan.done.size,
      ran,
      skipped,
    },
    accuracy: !study.config.accuracy ? "not configured" : skippedReason ? "skipped" : "ran",
    skippedReason: skippedReason ?? null,
    results: lines.length,
    files: [RESULTS_FILE, "study.json", ...written.files].map((f) => join(options.out, f)),
    elapsedMs: Math.round(performance.now() - started),
  };
}

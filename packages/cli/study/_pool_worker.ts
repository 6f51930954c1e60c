/**
 * A sweep worker: loads the study named by the main thread, then runs the tasks it is dealt one
 * at a time (train a baseline, run an accuracy chain, run a weight-free point), posting progress
 * and finished result lines back; the main thread alone writes results.jsonl.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { UserError } from "@sparsegrain/core";
import { builtinCatalog, tfReady } from "../builtins.ts";
import { loadStudy, type Study } from "../config/load.ts";
import type { Progress } from "../progress.ts";
import type { ResultLine } from "../results/schema.ts";
import { accuracyRunner } from "./accuracy.ts";
import type { PoolReply, PoolRequest } from "./pool.ts";
import type { PoolTask } from "./pool_tasks.ts";
import { type AccuracyPoint, studyUnits, type WeightFreePoint, type WorkUnit } from "./points.ts";
import { type WeightFreeRunner, weightFreeRunner } from "./weight_free.ts";

type Init = Extract<PoolRequest, { type: "init" }>;

function reply(message: PoolReply): void {
  self.postMessage(message);
}

/** Progress events go to the main thread, which draws them. */
const progress: Progress = {
  start() {},
  point: (id, kind) => reply({ type: "point", id, kind }),
  pointDone() {},
  detail: (text, transient = false) => reply({ type: "detail", text, transient }),
  warn: (text) => reply({ type: "warn", text }),
  finish() {},
};

let seq = 0;
const pending = new Map<number, () => void>();

/** Posts a finished line and resolves once the main thread has written it. */
function emit(line: ResultLine, ms: number): Promise<void> {
  const n = seq++;
  return new Promise<void>((resolve) => {
    pending.set(n, resolve);
    reply({ type: "line", seq: n, line, ms });
  });
}

let state:
  | {
    study: Study;
    init: Init;
    units: Map<string, WorkUnit>;
    done: Set<string>;
    accuracy: ReturnType<typeof accuracyRunner>;
    weightFree: WeightFreeRunner;
  }
  | undefined;

async function start(init: Init): Promise<void> {
  await tfReady();
  const study = await loadStudy(init.file, builtinCatalog(), {
    quick: init.quick,
    dataDir: init.dataDir,
  });
  if (study.configHash !== init.configHash) {
    throw new UserError(
      `A sweep worker read another config from "${init.file}" (hash ${study.configHash}, expected ${init.configHash}): do not edit the config while its sweep runs`,
    );
  }
  state = {
    study,
    init,
    units: new Map(studyUnits(study).map((u) => [u.id, u])),
    done: new Set(init.done),
    accuracy: accuracyRunner(),
    weightFree: weightFreeRunner(study, (p) => init.shapes[JSON.stringify(p.model)]),
  };
}

async function run(task: PoolTask): Promise<void> {
  if (!state) throw new Error("A sweep worker got a task before its study");
  const { study, init, units, done, accuracy, weightFree } = state;
  const unit = units.get(task.unit);
  if (!unit) throw new Error(`A sweep worker got an unknown unit ${task.unit}`);
  if (task.kind === "baseline") {
    const first = unit.points[0] as AccuracyPoint;
    await accuracy.prepare(study, first.model, first.seed, progress);
  } else if (task.kind === "chain") {
    weightFree.release(); // a chain needs the memory more than the next weight-free point
    await accuracy.runChain(study, unit.points as AccuracyPoint[], {
      out: init.out,
      done,
      progress,
      emit,
    });
  } else {
    const { line, ms } = weightFree.run(unit.points[0] as WeightFreePoint, progress);
    await emit(line, ms);
  }
}

async function handle(m: Exclude<PoolRequest, { type: "written" }>): Promise<void> {
  try {
    if (m.type === "init") await start(m);
    else {
      await run(m.task);
      reply({ type: "finished", id: m.task.id });
    }
  } catch (error) {
    reply({
      type: "error",
      user: error instanceof UserError,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack ?? "" : "",
    });
  }
}

// A task may arrive while the study is still loading: requests are handled one after another.
let queue = Promise.resolve();

self.onmessage = (event: MessageEvent<PoolRequest>) => {
  const m = event.data;
  if (m.type === "written") {
    pending.get(m.seq)?.();
    pending.delete(m.seq);
    return;
  }
  queue = queue.then(() => handle(m));
};

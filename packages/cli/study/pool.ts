/**
 * Runs a sweep's tasks on a pool of module workers, one per core: each worker loads the same
 * study from the same file (same plugins, same hash) and takes tasks one at a time as the main
 * thread deals them out ({@link nextTask}); finished result lines are posted back and written by
 * the main thread alone, one at a time.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";
import type { Study } from "../config/load.ts";
import type { ResultLine } from "../results/schema.ts";
import { nextTask, type PoolTask } from "./pool_tasks.ts";
import type { LayerShape } from "./weight_free.ts";

/** What the main thread tells a worker. */
export type PoolRequest =
  | {
    readonly type: "init";
    readonly file: string;
    readonly quick: boolean;
    readonly dataDir?: string;
    readonly configHash: string;
    readonly out: string;
    /** Point ids finished before this run (resume). */
    readonly done: readonly string[];
    /** Layer shapes of the weight-free models by `JSON.stringify(model)`. */
    readonly shapes: Readonly<Record<string, LayerShape[]>>;
  }
  | { readonly type: "task"; readonly task: PoolTask }
  | { readonly type: "written"; readonly seq: number };

/** What a worker answers. */
export type PoolReply =
  | { readonly type: "point"; readonly id: string; readonly kind: string }
  | { readonly type: "detail"; readonly text: string; readonly transient: boolean }
  | { readonly type: "warn"; readonly text: string }
  | { readonly type: "line"; readonly seq: number; readonly line: ResultLine; readonly ms: number }
  | { readonly type: "finished"; readonly id: string }
  | {
    readonly type: "error";
    readonly user: boolean;
    readonly message: string;
    readonly stack: string;
  };

/** What a pool reports while it runs. */
export interface PoolContext {
  readonly out: string;
  readonly done: ReadonlySet<string>;
  readonly shapes: ReadonlyMap<string, LayerShape[]>;
  /** A point started. */
  point(id: string, kind: string): void;
  detail(text: string, transient: boolean): void;
  warn(text: string): void;
  /** Appends a finished point's line to the results file. */
  emit(line: ResultLine, ms: number): Promise<void>;
}

/** Runs tasks somewhere other than the calling thread; resolves when all are finished. */
export interface UnitPool {
  /** How many tasks run at once. */
  readonly size: number;
  run(study: Study, tasks: readonly PoolTask[], context: PoolContext): Promise<void>;
}

/** Memory a worker may need at its peak (VGG-16's weights, masks and streams). */
const BYTES_PER_WORKER = 2 * 1024 ** 3;

/**
 * How many workers fit a machine: one per core, but at most one per 2 GiB of memory (a worker
 * pruning VGG-16 peaks at about 1.9 GB); `memoryBytes` undefined when unknown.
 */
export function workerCount(cores: number, memoryBytes: number | undefined): number {
  const byMemory = memoryBytes === undefined ? cores : Math.floor(memoryBytes / BYTES_PER_WORKER);
  return Math.max(1, Math.min(cores, byMemory));
}

/** The number of workers a sweep uses by default: {@link workerCount} of this machine. */
export function defaultWorkers(): number {
  let memory: number | undefined;
  try {
    memory = Deno.systemMemoryInfo().total;
  } catch {
    memory = undefined; // no permission to read it: one per core
  }
  return workerCount(navigator.hardwareConcurrency || 1, memory);
}

/** A pool of `size` module workers (`_pool_worker.ts`). */
export function workerPool(size: number): UnitPool {
  return {
    size,
    run: (study, tasks, context) => runPool(size, study, tasks, context),
  };
}

function runPool(
  size: number,
  study: Study,
  tasks: readonly PoolTask[],
  context: PoolContext,
): Promise<void> {
  if (tasks.length === 0) return Promise.resolve(); // e.g. a resumed, finished study
  const queue = [...tasks];
  const finished = new Set<string>();
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  let running = 0;
  let settled = false;
  return new Promise<void>((resolve, reject) => {
    const stop = (error?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) w.terminate();
      if (error) reject(error);
      else resolve();
    };
    const dispatch = () => {
      while (idle.length > 0) {
        const i = nextTask(queue, finished);
        if (i < 0) break;
        const [task] = queue.splice(i, 1);
        running++;
        idle.pop()!.postMessage({ type: "task", task } satisfies PoolRequest);
      }
      if (running === 0) {
        if (queue.length === 0) stop();
        else stop(new Error(`Pool tasks wait for tasks that never ran: ${queue[0].id}`));
      }
    };
    const init: PoolRequest = {
      type: "init",
      file: study.file,
      quick: study.quick,
      dataDir: study.config.accuracy?.dataset.dir,
      configHash: study.configHash,
      out: context.out,
      done: [...context.done],
      shapes: Object.fromEntries(context.shapes),
    };
    const count = Math.min(size, tasks.length);
    for (let k = 0; k < count; k++) {
      const worker = new Worker(new URL("./_pool_worker.ts", import.meta.url), {
        type: "module",
      });
      workers.push(worker);
      worker.onmessage = (event: MessageEvent<PoolReply>) => {
        const m = event.data;
        if (m.type === "point") context.point(m.id, m.kind);
        else if (m.type === "detail") context.detail(m.text, m.transient);
        else if (m.type === "warn") context.warn(m.text);
        else if (m.type === "line") {
          context.emit(m.line, m.ms).then(
            () => worker.postMessage({ type: "written", seq: m.seq } satisfies PoolRequest),
            (error) => stop(error),
          );
        } else if (m.type === "finished") {
          finished.add(m.id);
          running--;
          idle.push(worker);
          dispatch();
        } else {
          const error = m.user ? new UserError(m.message) : new Error(m.message);
          if (!m.user) error.stack = m.stack;
          stop(error);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        stop(new Error(`A sweep worker failed: ${event.message}`));
      };
      worker.postMessage(init);
      idle.push(worker);
    }
    dispatch();
  });
}

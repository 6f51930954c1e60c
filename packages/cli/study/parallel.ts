/**
 * Runs the weight-free half in a Web Worker while the main thread trains the accuracy half.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";
import type { Study } from "../config/load.ts";
import type { ResultLine } from "../results/schema.ts";
import type { WeightFreePoint } from "./points.ts";
import type { LayerShape } from "./weight_free.ts";

/** What the main thread asks the worker. */
export interface WorkerRequest {
  readonly file: string;
  readonly quick: boolean;
  readonly dataDir?: string;
  readonly configHash: string;
  /** Point ids to run, in order. */
  readonly ids: readonly string[];
  /** Layer shapes by `JSON.stringify(model)`. */
  readonly shapes: Readonly<Record<string, LayerShape[]>>;
  /** The results file the worker appends its lines to. */
  readonly resultsPath: string;
}

/** What the worker answers. */
export type WorkerReply =
  | { readonly type: "start"; readonly id: string }
  | {
    readonly type: "line";
    readonly point: string;
    readonly half: ResultLine["half"];
    readonly ms: number;
  }
  | { readonly type: "done" }
  | {
    readonly type: "error";
    readonly user: boolean;
    readonly message: string;
    readonly stack: string;
  };

/** Callbacks of a background weight-free run. */
export interface BackgroundEvents {
  /** A point started. */
  start(id: string): void;
  /** A point's line was appended to the results file. */
  written(point: string, half: ResultLine["half"], ms: number): void;
}

/** Runs weight-free points somewhere else than the calling thread. */
export type BackgroundWeightFree = (
  study: Study,
  points: readonly WeightFreePoint[],
  shapes: ReadonlyMap<string, LayerShape[]>,
  resultsPath: string,
  events: BackgroundEvents,
) => Promise<void>;

/** Runs the points in a module worker (`_weight_free_worker.ts`). */
export const workerWeightFree: BackgroundWeightFree = (
  study,
  points,
  shapes,
  resultsPath,
  events,
) => {
  const worker = new Worker(new URL("./_weight_free_worker.ts", import.meta.url), {
    type: "module",
  });
  const request: WorkerRequest = {
    file: study.file,
    quick: study.quick,
    dataDir: study.config.accuracy?.dataset.dir,
    configHash: study.configHash,
    ids: points.map((p) => p.id),
    shapes: Object.fromEntries(shapes),
    resultsPath,
  };
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const m = event.data;
      if (m.type === "start") events.start(m.id);
      else if (m.type === "line") events.written(m.point, m.half, m.ms);
      else if (m.type === "done") finish();
      else {
        const error = m.user ? new UserError(m.message) : new Error(m.message);
        if (!m.user) error.stack = m.stack;
        finish(error);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish(new Error(`The weight-free worker failed: ${event.message}`));
    };
    worker.postMessage(request);
  });
};

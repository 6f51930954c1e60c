/**
 * A Web Worker that runs weight-free points while the main thread trains the accuracy half, so a
 * sweep uses two cores. It loads the same study from the same file (same plugins, same hash) and
 * posts every finished line back; the main thread alone writes results.jsonl.
 *
 * @module
 */
/// <reference lib="deno.worker" />
import { UserError } from "@sparsegrain/core";
import { builtinCatalog } from "../builtins.ts";
import { loadStudy } from "../config/load.ts";
import { studyUnits, type WeightFreePoint } from "./points.ts";
import { heInitLayers, type LayerShape, runWeightFreePoint } from "./weight_free.ts";
import type { WorkerReply, WorkerRequest } from "./parallel.ts";
import { appendResult } from "../results/store.ts";

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    const study = await loadStudy(request.file, builtinCatalog(), {
      quick: request.quick,
      dataDir: request.dataDir,
    });
    if (study.configHash !== request.configHash) {
      throw new Error(
        `The worker read another config (hash ${study.configHash}, expected ${request.configHash}); was ${request.file} edited during the sweep?`,
      );
    }
    const wanted = new Set(request.ids);
    const points = studyUnits(study).flatMap((u) => u.points).filter((p): p is WeightFreePoint =>
      p.half === "weight-free" && wanted.has(p.id)
    );
    let cached: { key: string; layers: ReturnType<typeof heInitLayers> } | undefined;
    for (const p of points) {
      reply({ type: "start", id: p.id });
      const t0 = performance.now();
      const key = `${JSON.stringify(p.model)}/s${p.seed}`;
      let generateMs = 0;
      if (cached?.key !== key) {
        cached = undefined;
        const shapes: LayerShape[] = request.shapes[JSON.stringify(p.model)];
        cached = { key, layers: heInitLayers(shapes, p.seed) };
        generateMs = performance.now() - t0;
      }
      const line = runWeightFreePoint(study, p, cached.layers, generateMs);
      // Written here: the main thread may be busy training for minutes without a turn to write.
      await appendResult(request.resultsPath, line);
      reply({ type: "line", point: line.point, half: line.half, ms: performance.now() - t0 });
    }
    reply({ type: "done" });
  } catch (error) {
    reply({
      type: "error",
      user: error instanceof UserError,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack ?? "" : "",
    });
  }
};

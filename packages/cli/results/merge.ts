import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import type { ResultLine } from "./schema.ts";
import {
  checkOutDir,
  readResults,
  readStudyRecord,
  RESULTS_FILE,
  STUDY_FILE,
  type StudyRecord,
  writeFileAtomic,
} from "./store.ts";

/** Outcome of {@link mergeResults}. */
export interface MergeOutcome {
  readonly lines: ResultLine[];
  readonly study: StudyRecord | undefined;
  /** Points found in more than one input (kept once). */
  readonly duplicates: number;
}

/**
 * Joins the results of shard folders into `out`, in study order. Refuses inputs written by
 * different configs, inputs without results, and an `out` that is a file or already holds results.
 */
export async function mergeResults(dirs: readonly string[], out: string): Promise<MergeOutcome> {
  if (dirs.length === 0) {
    throw new UserError(
      "Nothing to merge: name the shard folders, e.g. merge runs/s0 runs/s1 --out runs/all",
    );
  }
  await checkOutDir(out);
  const existing = await readResults(join(out, RESULTS_FILE));
  if (existing.lines.length > 0 && !dirs.includes(out)) {
    throw new UserError(
      `Cannot merge into "${out}": it already holds ${existing.lines.length} results: pass --out with a new folder`,
    );
  }
  let hash: string | undefined;
  let hashFrom = "";
  let study: StudyRecord | undefined;
  const byPoint = new Map<string, ResultLine>();
  let duplicates = 0;
  for (const dir of dirs) {
    const state = await checkOutDir(dir).catch(() => "file");
    if (state !== "folder") {
      throw new UserError(
        `Cannot merge "${dir}": it is not a results folder: name folders written by sweep`,
      );
    }
    const { lines } = await readResults(join(dir, RESULTS_FILE));
    const record = await readStudyRecord(dir);
    if (lines.length === 0 && !record) {
      throw new UserError(
        `Cannot merge "${dir}": it has no ${RESULTS_FILE} or ${STUDY_FILE}: name folders written by sweep`,
      );
    }
    const hashes = new Set([
      ...lines.map((l) => l.configHash),
      ...(record ? [record.configHash] : []),
    ]);
    for (const h of hashes) {
      if (hash === undefined) {
        hash = h;
        hashFrom = dir;
      } else if (h !== hash) {
        throw new UserError(
          `Cannot merge "${dir}" with "${hashFrom}": they come from different configs (hash ${h} vs ${hash}): merge only shards of one study`,
        );
      }
    }
    study ??= record;
    for (const line of lines) {
      if (byPoint.has(line.point)) duplicates++;
      else byPoint.set(line.point, line);
    }
  }
  const lines = [...byPoint.values()].sort((a, b) => a.index - b.index);
  await Deno.mkdir(out, { recursive: true });
  if (study) await writeFileAtomic(join(out, STUDY_FILE), JSON.stringify(study, null, 2) + "\n");
  await writeFileAtomic(
    join(out, RESULTS_FILE),
    lines.map((l) => JSON.stringify(l) + "\n").join(""),
  );
  return { lines, study, duplicates };
}

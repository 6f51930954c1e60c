/**
 * The results folder of a sweep: `study.json` (the effective config and its hash) and
 * `results.jsonl` (one line per finished point). Lines are appended with one write of the whole
 * line followed by a sync, so a killed sweep leaves at most one torn last line, which readers
 * skip and `--resume` cuts off before continuing.
 *
 * @module
 */
import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import { type ResultLine, RESULTS_SCHEMA } from "./schema.ts";

/** File names inside an output folder. */
export const RESULTS_FILE = "results.jsonl";
/** The study description written at the start of a sweep. */
export const STUDY_FILE = "study.json";

/** What `study.json` holds. */
export interface StudyRecord {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly configHash: string;
  readonly name: string;
  readonly configFile: string;
  readonly quick: boolean;
  readonly config: unknown;
  /** Total points of the unsharded study. */
  readonly points: number;
}

/** Lines read from a results file. */
export interface ReadResults {
  readonly lines: ResultLine[];
  /** Byte length of the complete lines (a torn tail starts here). */
  readonly validBytes: number;
  /** Whether the file ended in a torn (unfinished) line. */
  readonly torn: boolean;
}

/** Reads `results.jsonl`; a missing file reads as empty. Bad complete lines are errors. */
export async function readResults(path: string): Promise<ReadResults> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { lines: [], validBytes: 0, torn: false };
    throw error;
  }
  const lastNewline = bytes.lastIndexOf(10);
  const validBytes = lastNewline + 1;
  const text = new TextDecoder().decode(bytes.subarray(0, validBytes));
  const lines: ResultLine[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: ResultLine;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UserError(
        `Cannot read results "${path}": line ${
          i + 1
        } is not JSON: remove the line or start a new --out folder`,
      );
    }
    if (parsed?.schema !== RESULTS_SCHEMA) {
      throw new UserError(
        `Cannot read results "${path}": line ${i + 1} has schema ${
          JSON.stringify(parsed?.schema)
        }, expected "${RESULTS_SCHEMA}": use results written by this version of sparsegrain`,
      );
    }
    lines.push(parsed);
  });
  return { lines, validBytes, torn: validBytes < bytes.length };
}

/**
 * Appends one line to the results file under an exclusive lock (the weight-free worker and the
 * main thread both append), then syncs it to disk.
 */
export async function appendResult(path: string, line: ResultLine): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(line) + "\n");
  const file = await Deno.open(path, { append: true, create: true });
  try {
    await file.lock(true);
    let offset = 0;
    while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
    await file.syncData();
    await file.unlock();
  } finally {
    file.close();
  }
}

/** Writes a file atomically: a temporary file in the same folder, then a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Checks that `out` can be an output folder without touching the disk: it is missing, or a
 * folder. Throws {@link UserError} when it is a file.
 */
export async function checkOutDir(out: string): Promise<"missing" | "folder"> {
  try {
    const info = await Deno.stat(out);
    if (!info.isDirectory) {
      throw new UserError(
        `Cannot write results to "${out}": it is a file, not a folder: pass --out with a folder path`,
      );
    }
    return "folder";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "missing";
    throw error;
  }
}

/** Reads `study.json` of a results folder, or undefined when there is none. */
export async function readStudyRecord(dir: string): Promise<StudyRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(join(dir, STUDY_FILE)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof SyntaxError) {
      throw new UserError(
        `Cannot read "${
          join(dir, STUDY_FILE)
        }": it is not JSON: restore it or start a new --out folder`,
      );
    }
    throw error;
  }
}

/** What a sweep may do with an output folder. */
export interface OutputPlan {
  /** Points already finished (resume), by id. */
  readonly done: ReadonlySet<string>;
  /** Bytes to keep of results.jsonl (a torn tail is cut on {@link openOutput}). */
  readonly keepBytes: number;
  readonly torn: boolean;
  readonly exists: boolean;
}

/**
 * Decides how a sweep uses `out` before anything is written: refuses a file, refuses results
 * from another config, and refuses existing results without `--resume`.
 */
export async function planOutput(
  out: string,
  configHash: string,
  resume: boolean,
): Promise<OutputPlan> {
  const state = await checkOutDir(out);
  if (state === "missing") return { done: new Set(), keepBytes: 0, torn: false, exists: false };
  const resultsPath = join(out, RESULTS_FILE);
  const read = await readResults(resultsPath);
  const record = await readStudyRecord(out);
  // A folder whose study.json names another config but holds no results (a run that stopped
  // before its first point) is reused; any result line of another config is refused.
  const other = read.lines.find((l) => l.configHash !== configHash) ??
    (record && record.configHash !== configHash && read.lines.length > 0 ? record : undefined);
  if (other) {
    throw new UserError(
      `Cannot ${
        resume ? "resume" : "write"
      } in "${out}": its results come from another config (hash ${other.configHash}, this config is ${configHash}): pass --out with a new folder, or the config that wrote them`,
    );
  }
  if (!resume && read.lines.length > 0) {
    throw new UserError(
      `Output folder "${out}" already holds ${read.lines.length} results of this study: pass --resume to continue it, or --out with a new folder`,
    );
  }
  return {
    done: new Set(read.lines.map((l) => l.point)),
    keepBytes: read.validBytes,
    torn: read.torn,
    exists: true,
  };
}

/** Creates the folder, writes `study.json` and cuts a torn results tail. */
export async function openOutput(
  out: string,
  plan: OutputPlan,
  study: StudyRecord,
): Promise<string> {
  await Deno.mkdir(out, { recursive: true });
  await writeFileAtomic(join(out, STUDY_FILE), JSON.stringify(study, null, 2) + "\n");
  const resultsPath = join(out, RESULTS_FILE);
  if (plan.torn) await Deno.truncate(resultsPath, plan.keepBytes);
  return resultsPath;
}

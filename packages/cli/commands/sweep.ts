import { UserError } from "@sparsegrain/core";
import { boolFlag, stringFlag } from "../_flags.ts";
import { loadStudy } from "../config/load.ts";
import { createProgress, formatDuration } from "../progress.ts";
import { parseShard } from "../results/shard.ts";
import { checkOutDir } from "../results/store.ts";
import { defaultWorkers } from "../study/pool.ts";
import { runSweep } from "../study/sweep.ts";
import type { Command } from "./_command.ts";

/** The default study, relative to the working folder (the repository root for `deno task`). */
export const DEFAULT_CONFIG = "examples/sweeps/default.yaml";

/** `sweep`: runs a study. */
export const sweepCommand: Command = {
  spec: {
    name: "sweep",
    summary:
      "Run a study: prune every model at every granularity and density, measure accuracy, storage and accelerator cost, and write results and reports.",
    minPositionals: 0,
    maxPositionals: 0,
    flags: {
      config: {
        type: "string",
        short: "c",
        value: "FILE",
        description: `Sweep YAML (default: ${DEFAULT_CONFIG})`,
      },
      out: {
        type: "string",
        short: "o",
        value: "DIR",
        description: "Output folder (default: runs/<name>, runs/<name>-quick with --quick)",
      },
      resume: { type: "boolean", description: "Skip points already in DIR/results.jsonl" },
      shard: {
        type: "string",
        value: "K/N",
        description: "Run only shard K of N (K from 0), e.g. 0/4; join shards with merge",
      },
      quick: { type: "boolean", description: "Shrink the study as its quick: section says" },
      data: {
        type: "string",
        value: "DIR",
        description: "Fashion-MNIST folder (overrides accuracy.dataset.dir and $SPARSEGRAIN_DATA)",
      },
      workers: {
        type: "string",
        value: "N",
        description:
          "Tasks run at once, each on its own thread (default: one per core, at most one per 2 GiB of memory)",
      },
      quiet: { type: "boolean", short: "q", description: "No progress on stderr" },
      json: { type: "boolean", description: "Print a JSON summary on stdout" },
    },
    details:
      "Outputs in DIR: results.jsonl (one line per point), study.json, results.csv, layers.csv,\n" +
      "report.md with SVG charts, report.html, each chart's Vega-Lite spec (*.vl.json), and\n" +
      "results.md, the findings: each question of the study answered beside the paper's claims.\n" +
      "Without the Fashion-MNIST files the accuracy half is skipped with a message; the\n" +
      "weight-free half still runs. Config fields: docs/config.md.",
  },
  async run(flags, { io, deps }) {
    const file = stringFlag(flags, "config") ?? DEFAULT_CONFIG;
    const shardText = stringFlag(flags, "shard");
    const shard = shardText === undefined ? undefined : parseShard(shardText);
    const workers = parseWorkers(stringFlag(flags, "workers"));
    const outFlag = stringFlag(flags, "out");
    if (outFlag !== undefined) await checkOutDir(outFlag);
    await deps.ready();
    const study = await loadStudy(file, deps.catalog(), {
      quick: boolFlag(flags, "quick"),
      dataDir: stringFlag(flags, "data"),
    });
    const out = outFlag ?? `runs/${study.config.name}${boolFlag(flags, "quick") ? "-quick" : ""}`;
    const quiet = boolFlag(flags, "quiet");
    const progress = createProgress(io, { quiet });
    const summary = await runSweep(
      study,
      { out, resume: boolFlag(flags, "resume"), shard },
      (m) => deps.shapes(m),
      deps.accuracy,
      progress,
      workers > 1 && deps.pool ? deps.pool(workers) : undefined,
    );
    if (boolFlag(flags, "json")) io.writeOut(JSON.stringify(summary, null, 2) + "\n");
    else if (!quiet) {
      io.writeErr(
        `Done: ${summary.points.ran} points run, ${summary.results} results in ${out} (${
          formatDuration(summary.elapsedMs)
        }); open ${out}/report.html or ${out}/report.md\n`,
      );
    }
    return 0;
  },
};

/** `--workers N`: a whole number from 1 to 64; absent, {@link defaultWorkers}. */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return defaultWorkers();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64) {
    throw new UserError(
      `Bad --workers "${text}": expected a whole number from 1 to 64, e.g. --workers 2`,
    );
  }
  return n;
}

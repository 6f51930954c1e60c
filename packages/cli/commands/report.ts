import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import { boolFlag } from "../_flags.ts";
import { writeReports } from "../report/write.ts";
import { checkOutDir, readResults, readStudyRecord, RESULTS_FILE } from "../results/store.ts";
import type { Command } from "./_command.ts";

/** Report options stored in a study record's config, with defaults. */
export function reportOptionsOf(config: unknown): { drops: number[]; primaryEncoder?: string } {
  const report = (config as { report?: { drops?: unknown; primaryEncoder?: unknown } } | undefined)
    ?.report;
  const drops = Array.isArray(report?.drops) && report.drops.every((d) => typeof d === "number")
    ? report.drops as number[]
    : [0.5, 1];
  return {
    drops,
    ...(typeof report?.primaryEncoder === "string"
      ? { primaryEncoder: report.primaryEncoder }
      : {}),
  };
}

/** `report`: re-renders the reports of a results folder. */
export const reportCommand: Command = {
  spec: {
    name: "report",
    args: "DIR",
    summary:
      "Re-render results.csv, layers.csv, the charts (.vl.json, .svg), report.md, report.html and the findings (results.md) of a results folder from its results.jsonl.",
    minPositionals: 1,
    maxPositionals: 1,
    flags: {
      json: { type: "boolean", description: "Print the written files as JSON on stdout" },
    },
  },
  async run(flags, { io }) {
    const dir = flags.positionals[0];
    if ((await checkOutDir(dir)) === "missing") {
      throw new UserError(
        `Cannot report on "${dir}": the folder does not exist: name a folder written by sweep`,
      );
    }
    const { lines } = await readResults(join(dir, RESULTS_FILE));
    if (lines.length === 0) {
      throw new UserError(
        `Cannot report on "${dir}": it holds no results (${RESULTS_FILE} is missing or empty): run sweep first`,
      );
    }
    const study = await readStudyRecord(dir);
    const written = await writeReports(dir, lines, study, reportOptionsOf(study?.config));
    if (boolFlag(flags, "json")) {
      io.writeOut(
        JSON.stringify(
          {
            dir,
            results: lines.length,
            files: written.files.map((f) => join(dir, f)),
          },
          null,
          2,
        ) +
          "\n",
      );
    } else {
      io.writeErr(`Wrote ${written.files.length} files from ${lines.length} results in ${dir}\n`);
    }
    return 0;
  },
};

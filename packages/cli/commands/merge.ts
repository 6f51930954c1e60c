import { UserError } from "@sparsegrain/core";
import { join } from "node:path";
import { boolFlag, stringFlag } from "../_flags.ts";
import { writeReports } from "../report/write.ts";
import { mergeResults } from "../results/merge.ts";
import { RESULTS_FILE } from "../results/store.ts";
import type { Command } from "./_command.ts";
import { reportOptionsOf } from "./report.ts";

/** `merge`: joins shard results. */
export const mergeCommand: Command = {
  spec: {
    name: "merge",
    args: "DIR...",
    summary:
      "Join the results of shard folders (sweep --shard K/N) into one folder, in study order, and render its reports. Refuses results of different configs.",
    minPositionals: 1,
    maxPositionals: Number.POSITIVE_INFINITY,
    flags: {
      out: { type: "string", short: "o", value: "DIR", description: "Folder to write (required)" },
      json: { type: "boolean", description: "Print a JSON summary on stdout" },
    },
  },
  async run(flags, { io }) {
    const out = stringFlag(flags, "out");
    if (out === undefined) {
      throw new UserError('Missing flag "--out" for "merge": pass --out DIR, the folder to write');
    }
    const merged = await mergeResults(flags.positionals, out);
    const written = await writeReports(
      out,
      merged.lines,
      merged.study,
      reportOptionsOf(merged.study?.config),
    );
    const missing = merged.study ? merged.study.points - merged.lines.length : 0;
    if (boolFlag(flags, "json")) {
      io.writeOut(
        JSON.stringify(
          {
            out,
            inputs: flags.positionals,
            results: merged.lines.length,
            studyPoints: merged.study?.points ?? null,
            missing,
            duplicates: merged.duplicates,
            files: [RESULTS_FILE, ...written.files].map((f) => join(out, f)),
          },
          null,
          2,
        ) + "\n",
      );
    } else {
      io.writeErr(
        `Merged ${merged.lines.length} results from ${flags.positionals.length} folders into ${out}${
          missing > 0 ? `; ${missing} points of the study are missing (unfinished shards?)` : ""
        }${merged.duplicates > 0 ? `; ${merged.duplicates} duplicate points kept once` : ""}\n`,
      );
    }
    return 0;
  },
};

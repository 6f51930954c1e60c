import { UserError } from "@sparsegrain/core";
import { helpText, parseFlags } from "./_flags.ts";
import type { CliDeps, Command } from "./commands/_command.ts";
import { costCommand } from "./commands/cost.ts";
import { mergeCommand } from "./commands/merge.ts";
import { pluginsCommand } from "./commands/plugins.ts";
import { pruneCommand } from "./commands/prune.ts";
import { reportCommand } from "./commands/report.ts";
import { summaryCommand } from "./commands/summary.ts";
import { sweepCommand } from "./commands/sweep.ts";
import { ConfigProblemsError } from "./config/problems.ts";
import type { CliIO } from "./io.ts";

/** The sub-commands, in help order. */
export const COMMANDS: readonly Command[] = [
  sweepCommand,
  summaryCommand,
  costCommand,
  pruneCommand,
  reportCommand,
  mergeCommand,
  pluginsCommand,
];

/** The CLI version, from packages/cli/deno.json. */
export const VERSION = "0.1.0";

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2;
  const lines = [
    "sparsegrain: prune CNNs at 0-D/1-D/2-D/3-D granularity and measure accuracy, storage and",
    'accelerator memory references (Mao et al. 2017, "Exploring the Regularity of Sparse Structure").',
    "",
    "Usage: sparsegrain <command> [flags]",
    "",
    "Commands:",
    ...COMMANDS.map((c) =>
      `  ${c.spec.name.padEnd(width)}${c.spec.summary.split(". ")[0].replace(/\.$/, "")}`
    ),
    "",
    "Run `sparsegrain <command> --help` for a command's flags. Exit codes: 0 success,",
    "2 user error (config, flags, files, plugins), 1 internal fault.",
  ];
  return lines.join("\n") + "\n";
}

/** Runs the CLI with the given dependencies; see `main`. */
export async function runCli(args: readonly string[], io: CliIO, deps: CliDeps): Promise<number> {
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      const target = name === "help" ? COMMANDS.find((c) => c.spec.name === rest[0]) : undefined;
      io.writeOut(target ? helpText(target.spec) : topHelp());
      return 0;
    }
    if (name === "--version" || name === "-V") {
      io.writeOut(`sparsegrain ${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.spec.name === name);
    if (!command) {
      throw new UserError(
        `Unknown command "${name}": use one of ${
          COMMANDS.map((c) => `"${c.spec.name}"`).join(", ")
        } (sparsegrain --help lists them)`,
      );
    }
    const flags = parseFlags(command.spec, rest);
    if (flags.values.help) {
      io.writeOut(helpText(command.spec));
      return 0;
    }
    return await command.run(flags, { io, deps });
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error: user errors as one line (plus config problems), faults with their stack. */
export function reportError(error: unknown, io: CliIO): number {
  if (error instanceof UserError) {
    io.writeErr(`error: ${error.message.split("\n").join(" ")}\n`);
    if (error instanceof ConfigProblemsError) {
      for (const line of error.details()) io.writeErr(`  ${line}\n`);
    }
    return 2;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.writeErr(
    `internal error: ${stack}\nThis is a fault in sparsegrain, not in your input: please report it with the command you ran.\n`,
  );
  return 1;
}

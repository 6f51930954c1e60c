import { UserError } from "@sparsegrain/core";
import type { FlagSpec, ParsedFlags } from "../_flags.ts";
import { numberFlag, stringFlag } from "../_flags.ts";
import type { ModelChoice } from "../study/points.ts";

/** `--input` and `--classes`, shared by commands that build a zoo model. */
export const MODEL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  input: {
    type: "string",
    value: "HxWxC",
    description: "Input height x width x channels, e.g. 224x224x3 (default: the model's)",
  },
  classes: { type: "string", value: "N", description: "Output classes (default: the model's)" },
};

/** Parses `HxWxC`. */
export function parseInputShape(text: string): [number, number, number] {
  const parts = text.toLowerCase().split("x").map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isInteger(p) || p < 1)) {
    throw new UserError(
      `Bad --input "${text}": write height x width x channels as positive integers, e.g. --input 224x224x3`,
    );
  }
  return parts as [number, number, number];
}

/** The model named by the positional argument and `--input` / `--classes`. */
export function modelChoice(
  name: string,
  flags: ParsedFlags,
  known: readonly string[],
): ModelChoice {
  if (known.length > 0 && !known.includes(name)) {
    throw new UserError(
      `Unknown model "${name}": use one of ${known.map((n) => `"${n}"`).join(", ")}`,
    );
  }
  const input = stringFlag(flags, "input");
  const classes = numberFlag(flags, "classes", { integer: true, min: 2 });
  return {
    name,
    ...(input !== undefined ? { input: parseInputShape(input) } : {}),
    ...(classes !== undefined ? { classes } : {}),
  };
}

/** Runs a model-building call, turning tfjs shape errors from odd inputs into user errors. */
export function buildModel<T>(choice: ModelChoice, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (choice.input || choice.classes) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new UserError(
        `Cannot build "${choice.name}" with ${
          choice.input ? `input ${choice.input.join("x")}` : ""
        }${choice.input && choice.classes ? " and " : ""}${
          choice.classes ? `${choice.classes} classes` : ""
        } (${message}): use a larger input or the model's default`,
      );
    }
    throw error;
  }
}

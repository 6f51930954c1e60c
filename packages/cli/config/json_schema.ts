import { sweepJsonSchema } from "./schema.ts";

/** The text of schema/sweep.schema.json: the JSON Schema of a sweep file, 2-space indented. */
export function sweepJsonSchemaText(): string {
  return JSON.stringify(sweepJsonSchema(), null, 2) + "\n";
}

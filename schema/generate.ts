/**
 * Writes schema/sweep.schema.json from the CLI's zod schema (the one source of truth):
 * `deno run -A schema/generate.ts`. A test in packages/cli checks the committed file is current.
 *
 * @module
 */
import { sweepJsonSchemaText } from "../packages/cli/config/json_schema.ts";

const path = new URL("./sweep.schema.json", import.meta.url);
await Deno.writeTextFile(path, sweepJsonSchemaText());
console.log(`Wrote ${path.pathname}`);

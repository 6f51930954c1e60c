import assert from "node:assert/strict";
import { sweepJsonSchemaText } from "./json_schema.ts";

Deno.test("schema/sweep.schema.json is generated from the zod schema and up to date", async () => {
  const committed = await Deno.readTextFile(
    new URL("../../../schema/sweep.schema.json", import.meta.url),
  );
  assert.equal(
    committed,
    sweepJsonSchemaText(),
    "schema/sweep.schema.json is stale: run `deno run -A schema/generate.ts`",
  );
});

Deno.test("the JSON schema closes every object and documents its fields", () => {
  const schema = JSON.parse(sweepJsonSchemaText());
  assert.equal(schema.type, "object");
  assert.equal(schema.additionalProperties, false);
  assert.ok(schema.properties.granularities.description.length > 0);
  const density = schema.properties.weightFree.properties.densities.items;
  assert.deepEqual([density.exclusiveMinimum, density.maximum], [0, 1]);
});

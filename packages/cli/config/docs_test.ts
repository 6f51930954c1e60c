import assert from "node:assert/strict";
import { sweepJsonSchema } from "./schema.ts";

type Node = {
  type?: string;
  properties?: Record<string, Node>;
  items?: Node;
  anyOf?: Node[];
  oneOf?: Node[];
};

/** Every field path of the sweep schema, as docs/config.md writes them (`a.b[].c`). */
function fieldPaths(node: Node, path: string, out: Set<string>): Set<string> {
  for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) fieldPaths(alt, path, out);
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      const p = path ? `${path}.${key}` : key;
      out.add(p);
      fieldPaths(child, p, out);
    }
  }
  if (node.items) fieldPaths(node.items, `${path}[]`, out);
  return out;
}

Deno.test("docs/config.md documents every field of the sweep schema", async () => {
  const doc = await Deno.readTextFile(new URL("../../../docs/config.md", import.meta.url));
  const missing = [...fieldPaths(sweepJsonSchema() as Node, "", new Set())]
    .filter((p) => !doc.includes(`\`${p}\``));
  assert.deepEqual(missing, [], "add these fields to docs/config.md");
});

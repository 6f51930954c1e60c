import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;

/** Source and Markdown files whose examples `deno test --doc` runs. */
async function* docFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* docFiles(path);
    else if (/\.(ts|md)$/.test(entry.name)) yield path;
  }
}

Deno.test("doc examples assert with node:assert: console.assert only logs, so it cannot fail a doc test", async () => {
  const offenders: string[] = [];
  for (const dir of ["packages", "examples", "docs"]) {
    for await (const file of docFiles(join(ROOT, dir))) {
      const text = await Deno.readTextFile(file);
      text.split("\n").forEach((line, i) => {
        if (line.includes("console" + ".assert(")) {
          offenders.push(`${relative(ROOT, file)}:${i + 1}`);
        }
      });
    }
  }
  assert.deepEqual(offenders, [], 'use `import assert from "node:assert/strict"` and assert(...)');
});

import assert from "node:assert/strict";
import { assertSaliencyConforms } from "@sparsegrain/core/testing";

const doc = await Deno.readTextFile(new URL("../../docs/plugins.md", import.meta.url));
/** The TypeScript blocks of docs/plugins.md (fences of 3+ backticks at a line start, any attributes). */
const blocks = [...doc.matchAll(/^(`{3,})ts[^\n]*\n([\s\S]*?)^\1$/gm)].map((m) => m[2]);

Deno.test("docs/plugins.md shows the walkthrough files exactly as they are", async () => {
  for (const file of ["filter_slice_granularity.ts", "filter_slice_granularity_test.ts"]) {
    const source = await Deno.readTextFile(new URL(file, import.meta.url));
    assert.ok(blocks.includes(source), `docs/plugins.md has no block equal to ${file}`);
  }
});

Deno.test("docs/plugins.md's saliency sketch passes the conformance kit", async () => {
  const sketch = blocks.find((b) => b.includes("export const meanSquare"));
  assert.ok(sketch, "the mean-square sketch is missing");
  const file = await Deno.makeTempFile({
    dir: new URL(".", import.meta.url).pathname,
    suffix: "_walkthrough_sketch.ts",
  });
  try {
    await Deno.writeTextFile(file, sketch);
    const module = await import(`file://${file}`);
    assertSaliencyConforms(module.meanSquare);
  } finally {
    await Deno.remove(file);
  }
});

import assert from "node:assert/strict";

Deno.test("README's plugin example runs as written", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 1, "the README has one TypeScript example");
  const file = await Deno.makeTempFile({
    dir: new URL(".", import.meta.url).pathname,
    suffix: "_readme_example.ts",
  });
  try {
    await Deno.writeTextFile(file, blocks[0]);
    const module = await import(`file://${file}`);
    assert.equal(module.halfFilterGranularity().name, "half-filter");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("README and .ci/run share the exact test command", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const ci = await Deno.readTextFile(new URL("../.ci/run", import.meta.url));
  const command = "npx -y deno@2.9.6 task test";
  assert.ok(readme.includes(command) && ci.includes(command));
  assert.ok(readme.includes("npx -y deno@2.9.6 task sweep"));
});

import assert from "node:assert/strict";
import { createRegistries, Registry } from "./registry.ts";
import { DuplicatePluginError, PluginNotFoundError } from "./errors.ts";

const plugin = (name: string) => ({ name, version: "1.0.0", describe: () => name });

Deno.test("Registry rejects duplicate names and lists known names for unknown ones", () => {
  const registry = new Registry<ReturnType<typeof plugin>>("granularity");
  registry.register(plugin("0d")).register(plugin("1d"));
  assert.deepEqual(registry.names(), ["0d", "1d"]);
  assert.throws(() => registry.register(plugin("0d")), DuplicatePluginError);
  assert.throws(
    () => registry.get("4d"),
    (e: unknown) =>
      e instanceof PluginNotFoundError &&
      e.message === 'Unknown granularity "4d": use one of "0d", "1d"',
  );
  assert.equal(registry.has("1d"), true);
});

Deno.test("createRegistries() gives four independent empty registries", () => {
  const a = createRegistries();
  const b = createRegistries();
  a.encoder.register({
    name: "x",
    version: "1",
    describe: () => "x",
    encode: () => {
      throw new Error();
    },
    decode: () => new Float32Array(),
  });
  assert.equal(b.encoder.has("x"), false);
  assert.equal(a.granularity.list().length, 0);
});

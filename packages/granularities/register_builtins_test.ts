import assert from "node:assert/strict";
import { createRegistries, DuplicatePluginError } from "@sparsegrain/core";
import {
  assertEncoderConforms,
  assertGranularityConforms,
  assertSaliencyConforms,
} from "@sparsegrain/core/testing";
import { createGranularity } from "./create_granularity.ts";
import { registerBuiltins } from "./register_builtins.ts";

Deno.test("registerBuiltins() registers every built-in under its name", () => {
  const registries = registerBuiltins(createRegistries());
  assert.deepEqual(registries.granularity.names(), [
    "0d",
    "1d",
    "2d",
    "3d",
    "channel",
    "nm",
    "block",
  ]);
  assert.deepEqual(registries.saliency.names(), [
    "l1",
    "l2",
    "mean-abs",
    "max-abs",
    "taylor",
    "random",
  ]);
  assert.deepEqual(registries.encoder.names(), ["dense", "relative-index", "bitmask", "csr"]);
  assert.equal(registries.accelerator.names().length, 0);
  for (const kind of ["granularity", "saliency", "encoder"] as const) {
    for (const plugin of registries[kind].list()) {
      assert.match(plugin.version, /^\d+\.\d+\.\d+$/);
      assert.ok(plugin.describe().length > 10);
      assert.ok(plugin.options !== undefined);
    }
  }
  assert.throws(() => registerBuiltins(registries), DuplicatePluginError);
});

Deno.test("every registered built-in passes the core conformance kit", async (t) => {
  const registries = registerBuiltins(createRegistries());
  for (const granularity of registries.granularity.list()) {
    await t.step(`granularity ${granularity.name}`, () => assertGranularityConforms(granularity));
  }
  for (const metric of registries.saliency.list()) {
    await t.step(`saliency ${metric.name}`, () => assertSaliencyConforms(metric));
  }
  // the encoder kit does not skip layers a granularity refuses: N:M with m = 4 refuses the
  // sample conv with 3 input channels, so it runs with m = 1 here
  const granularities = registries.granularity.list().map((g) =>
    g.name === "nm" ? createGranularity("nm", { n: 1, m: 1 }) : g
  );
  for (const encoder of registries.encoder.list()) {
    await t.step(`encoder ${encoder.name}`, () => {
      assertEncoderConforms(encoder, { runs: 30 });
      assertEncoderConforms(encoder, { granularities, runs: 21 });
    });
  }
});

import assert from "node:assert/strict";
import {
  ConfigError,
  createRegistries,
  DuplicatePluginError,
  PluginNotFoundError,
} from "@sparsegrain/core";
import { ACCELERATOR_NAMES, createAccelerator, registerAccelerators } from "./register.ts";

Deno.test("registerAccelerators() adds the three models with SCNN defaults", () => {
  const registries = createRegistries();
  const models = registerAccelerators(registries);
  assert.deepEqual(registries.accelerator.names(), ["scnn", "dense", "dense-opt"]);
  for (const model of models) {
    assert.equal(model.options?.peRows, 8);
    assert.equal(model.options?.weightsPerCycle, 4);
    assert.match(model.describe(), /8x8 PEs of 4x4 multipliers/);
  }
  assert.throws(() => registerAccelerators(registries), DuplicatePluginError);
});

Deno.test("createAccelerator() builds by name and reports bad names and options", () => {
  for (const name of ACCELERATOR_NAMES) assert.equal(createAccelerator(name).name, name);
  assert.equal(createAccelerator("scnn", { kc: 4 }).options?.kc, 4);
  assert.throws(() => createAccelerator("eyeriss"), (e: unknown) => {
    assert.ok(e instanceof PluginNotFoundError);
    assert.match(
      e.message,
      /Unknown accelerator model "eyeriss": use one of "scnn", "dense", "dense-opt"/,
    );
    return true;
  });
  assert.throws(() => createAccelerator("toString"), PluginNotFoundError);
  assert.throws(
    () => createAccelerator("dense", { energyTable: { dram: -1 } }),
    (e: unknown) => e instanceof ConfigError && e.field === "dense.energyTable.dram",
  );
});

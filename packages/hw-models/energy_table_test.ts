import assert from "node:assert/strict";
import { ConfigError } from "@sparsegrain/core";
import { energyTable, HOROWITZ_45NM } from "./energy_table.ts";

Deno.test("energyTable() defaults to the 45 nm Horowitz figures in PAPER.md", () => {
  assert.deepEqual({ ...energyTable() }, {
    intAdd: 0.1,
    floatAdd: 0.9,
    registerFile: 1,
    intMult: 3.1,
    floatMult: 3.7,
    sram: 5,
    dram: 640,
  });
  assert.equal(energyTable(), HOROWITZ_45NM);
  assert.equal(energyTable({ sram: 2 }).sram, 2);
  assert.equal(energyTable({ sram: 2 }).dram, 640);
});

Deno.test("energyTable() rejects unknown keys and bad values, naming the key", () => {
  assert.throws(() => energyTable({ sram32: 5 }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.field, "energyTable.sram32");
    assert.equal(
      e.message,
      'Bad value for "energyTable.sram32": unknown energy-table key "sram32": use one of "intAdd", "floatAdd", "registerFile", "intMult", "floatMult", "sram", "dram"',
    );
    return true;
  });
  assert.throws(
    () => energyTable({ dram: Number.NaN }),
    (e: unknown) => e instanceof ConfigError && e.field === "energyTable.dram",
  );
  assert.throws(() => energyTable([] as never), ConfigError);
});

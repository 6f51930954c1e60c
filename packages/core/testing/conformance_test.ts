import assert from "node:assert/strict";
import { blockGrains } from "../block_grains.ts";
import { reduceGrains } from "../grain_ops.ts";
import type { Granularity, SaliencyMetric } from "../types.ts";
import { assertGranularityConforms, assertSaliencyConforms } from "./mod.ts";

const rows: Granularity = {
  name: "rows",
  version: "1.0.0",
  describe: () => "rows",
  partition: (l) =>
    l.kind === "dense" ? blockGrains(l.shape, [1, 1]) : blockGrains(l.shape, [1, l.shape[1], 1, 1]),
};

Deno.test("assertGranularityConforms() accepts a correct partition and catches a broken one", () => {
  assertGranularityConforms(rows);
  const broken: Granularity = {
    ...rows,
    name: "broken",
    partition(layer) {
      const g = rows.partition(layer)!;
      return { ...g, elementGrain: () => new Int32Array(g.elements) }; // everything in grain 0
    },
  };
  assert.throws(() => assertGranularityConforms(broken), /disagrees/);
});

Deno.test("assertSaliencyConforms() catches negative and wrongly sized scores", () => {
  const l1: SaliencyMetric = {
    name: "l1",
    version: "1.0.0",
    describe: () => "L1",
    score: (l, g) => reduceGrains(l.values, g, "sum-abs"),
  };
  assertSaliencyConforms(l1);
  assert.throws(
    () =>
      assertSaliencyConforms({
        ...l1,
        score: (l, g) => reduceGrains(l.values, g, "sum-abs").map((v) => -v - 1),
      }),
    /score 0 is/,
  );
  assert.throws(
    () => assertSaliencyConforms({ ...l1, score: () => new Float32Array(1) }),
    /one score per grain/,
  );
});

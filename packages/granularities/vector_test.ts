import assert from "node:assert/strict";
import { ConfigError } from "@sparsegrain/core";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { vectorGranularity } from "./vector.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("vectorGranularity({ axis: 'row' }) groups W[h, :, i, o] along kw", () => {
  // [kh=2, kw=3, cin=2, cout=2]: element (h, w, i, o) = ((h*3 + w)*2 + i)*2 + o
  const grains = vectorGranularity().partition(shapeOnly("c", "conv2d", [2, 3, 2, 2]))!;
  assert.equal(grains.count, 2 * 2 * 2);
  assert.equal(grains.maxSize, 3);
  const out = new Int32Array(3);
  // grain order is row-major over (h, i, o): grain 5 = (h=1, i=0, o=1)
  assert.equal(grains.elementsOf(5, out), 3);
  const at = (h: number, w: number, i: number, o: number) => ((h * 3 + w) * 2 + i) * 2 + o;
  assert.deepEqual([...out], [at(1, 0, 0, 1), at(1, 1, 0, 1), at(1, 2, 0, 1)]);
});

Deno.test("vectorGranularity({ axis: 'column' }) groups W[:, w, i, o] along kh", () => {
  const grains = vectorGranularity({ axis: "column" }).partition(
    shapeOnly("c", "conv2d", [5, 3, 2, 4]),
  )!;
  assert.equal(grains.count, 3 * 2 * 4);
  assert.equal(grains.maxSize, 5);
  assert.deepEqual(grains.block?.block, [5, 1, 1, 1]);
  // a non-square 1x3 kernel has 1-weight columns
  assert.equal(
    vectorGranularity({ axis: "column" }).partition(shapeOnly("k", "conv2d", [1, 3, 4, 4]))!
      .maxSize,
    1,
  );
});

Deno.test("vectorGranularity() refuses an unknown axis", () => {
  assert.throws(
    () => vectorGranularity({ axis: "diagonal" as "row" }),
    (e: unknown) =>
      e instanceof ConfigError && e.field === "1d.axis" && /"row", "column"/.test(e.message),
  );
  assert.equal(vectorGranularity().options?.axis, "row");
  assert.match(vectorGranularity({ axis: "column" }).describe(), /column/);
});

Deno.test("vectorGranularity() conforms to the core kit on both axes", () => {
  assertGranularityConforms(vectorGranularity());
  assertGranularityConforms(vectorGranularity({ axis: "column" }));
});

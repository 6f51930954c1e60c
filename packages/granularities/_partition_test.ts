import assert from "node:assert/strict";
import { ConfigError, LayerError } from "@sparsegrain/core";
import type { LayerWeights } from "@sparsegrain/core";
import { elementGranularity } from "./element.ts";
import { filterGranularity } from "./filter.ts";
import { kernelGranularity } from "./kernel.ts";
import { vectorGranularity } from "./vector.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("partition() rejects bad shapes with a LayerError naming the layer and field", async (t) => {
  const cases: [string, LayerWeights, string][] = [
    ["conv of rank 2", shapeOnly("convA", "conv2d", [3, 3]), "shape"],
    ["dense of rank 4", shapeOnly("fcA", "dense", [1, 1, 3, 3]), "shape"],
    ["depthwise of rank 3", shapeOnly("dwA", "depthwise", [3, 3, 4]), "shape"],
    ["zero extent", {
      name: "convB",
      kind: "conv2d",
      shape: [3, 0, 2, 2],
      values: new Float32Array(0),
    }, "shape"],
    ["fractional extent", {
      name: "convC",
      kind: "conv2d",
      shape: [1.5, 2, 2, 2],
      values: new Float32Array(12),
    }, "shape"],
    ["too few values", {
      name: "convD",
      kind: "conv2d",
      shape: [3, 3, 2, 2],
      values: new Float32Array(35),
    }, "values"],
    ["plain array values", {
      name: "convE",
      kind: "conv2d",
      shape: [1, 1, 1, 2],
      values: [1, 2] as unknown as Float32Array,
    }, "values"],
    ["unknown kind", { ...shapeOnly("lstm", "dense", [2, 2]), kind: "lstm" as "dense" }, "kind"],
  ];
  for (const [label, layer, field] of cases) {
    await t.step(label, () => {
      for (const granularity of [elementGranularity(), kernelGranularity(), filterGranularity()]) {
        assert.throws(
          () => granularity.partition(layer),
          (e: unknown) =>
            e instanceof LayerError && e.layer === layer.name && e.field === field &&
            e.message.includes(":"),
        );
      }
    });
  }
});

Deno.test("the dense policy cuts a dense layer element-wise, by output neuron, as a 1x1 conv, or not at all", () => {
  const fc = shapeOnly("fc", "dense", [6, 4]);
  assert.equal(vectorGranularity().partition(fc)?.count, 24); // default "element"
  assert.equal(vectorGranularity({ dense: "neuron" }).partition(fc)?.count, 4);
  assert.equal(vectorGranularity({ dense: "conv" }).partition(fc)?.count, 24);
  assert.equal(vectorGranularity({ dense: "skip" }).partition(fc), undefined);
  assert.equal(filterGranularity().partition(fc)?.count, 4); // default "neuron"
  assert.deepEqual(filterGranularity().partition(fc)?.block?.block, [6, 1]);
  assert.equal(filterGranularity({ dense: "element" }).partition(fc)?.count, 24);
  assert.deepEqual(filterGranularity({ dense: "conv" }).partition(fc)?.block?.block, [6, 1]);
});

Deno.test("the pointwise policy leaves 1x1 convs dense only when asked", () => {
  const pointwise = shapeOnly("pw", "conv2d", [1, 1, 8, 4]);
  assert.equal(filterGranularity().partition(pointwise)?.count, 4);
  assert.equal(filterGranularity({ pointwise: "skip" }).partition(pointwise), undefined);
  assert.equal(kernelGranularity({ pointwise: "skip" }).partition(pointwise), undefined);
  // 1-D and 2-D equal 0-D on a 1x1 conv
  assert.equal(kernelGranularity().partition(pointwise)?.count, 32);
  assert.equal(vectorGranularity().partition(pointwise)?.count, 32);
  // a 3x3 conv is not pointwise
  assert.equal(
    filterGranularity({ pointwise: "skip" }).partition(shapeOnly("c", "conv2d", [3, 3, 2, 2]))
      ?.count,
    2,
  );
});

Deno.test("the depthwise policy prunes whole kernels at 2-D and 3-D, or skips the layer", () => {
  const dw = shapeOnly("dw", "depthwise", [3, 3, 4, 2]);
  for (const granularity of [kernelGranularity(), filterGranularity()]) {
    const grains = granularity.partition(dw)!;
    assert.equal(grains.count, 8);
    assert.deepEqual(grains.block?.block, [3, 3, 1, 1]);
  }
  assert.equal(vectorGranularity().partition(dw)?.count, 24);
  assert.equal(filterGranularity({ depthwise: "skip" }).partition(dw), undefined);
});

Deno.test("policy options are validated with ConfigError naming the option", () => {
  assert.throws(
    () => kernelGranularity({ dense: "rows" as "element" }),
    (e: unknown) =>
      e instanceof ConfigError && e.field === "2d.dense" && e.message.includes('"element"'),
  );
  assert.throws(
    () => filterGranularity({ pointwise: "yes" as "prune" }),
    (e: unknown) => e instanceof ConfigError && e.field === "3d.pointwise",
  );
  assert.throws(
    () => elementGranularity({ depthwise: 1 as unknown as "skip" }),
    (e: unknown) => e instanceof ConfigError && e.field === "0d.depthwise",
  );
  assert.throws(
    () => elementGranularity({ axis: "row" } as never),
    (e: unknown) =>
      e instanceof ConfigError && e.field === "0d.axis" && e.message.includes("unknown option"),
  );
  assert.throws(
    () => elementGranularity("dense" as never),
    (e: unknown) => e instanceof ConfigError && e.field === "0d",
  );
});

Deno.test("describe() and options report the resolved policies", () => {
  const g = filterGranularity({ pointwise: "skip" });
  assert.deepEqual(g.options, { dense: "neuron", pointwise: "skip", depthwise: "kernel" });
  assert.match(g.describe(), /1x1 convs left dense/);
  assert.match(g.describe(), /dense layers by output neuron/);
});

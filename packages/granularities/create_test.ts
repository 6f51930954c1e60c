import assert from "node:assert/strict";
import { ConfigError, PluginNotFoundError } from "@sparsegrain/core";
import { createEncoder, ENCODER_NAMES } from "./create_encoder.ts";
import { createGranularity, GRANULARITY_NAMES } from "./create_granularity.ts";
import { createSaliency, SALIENCY_NAMES } from "./create_saliency.ts";

Deno.test("create*() build every built-in by name with its options", () => {
  for (const name of GRANULARITY_NAMES) assert.equal(createGranularity(name).name, name);
  for (const name of SALIENCY_NAMES) assert.equal(createSaliency(name).name, name);
  for (const name of ENCODER_NAMES) assert.equal(createEncoder(name).name, name);
  assert.deepEqual(createGranularity("nm", { n: 1, m: 8, dense: "skip" }).options, {
    n: 1,
    m: 8,
    dense: "skip",
    pointwise: "prune",
    depthwise: "kernel",
  });
  assert.deepEqual(createGranularity("block", { block: [1, 1, 8, 1] }).options?.block, [
    1,
    1,
    8,
    1,
  ]);
  assert.deepEqual(createEncoder("relative-index").options, { valueBits: 8, indexBits: 4 });
  assert.deepEqual(createEncoder("dense", { valueBits: 32 }).options, { valueBits: 32 });
  assert.equal(createSaliency("random", { seed: 12 }).options?.seed, 12);
});

Deno.test("create*() list the known names for an unknown one", () => {
  const unknown = (f: () => unknown, kind: string, known: string) =>
    assert.throws(
      f,
      (e: unknown) =>
        e instanceof PluginNotFoundError && e.kind === kind && e.message.includes(known),
    );
  unknown(
    () => createGranularity("4d"),
    "granularity",
    '"0d", "1d", "2d", "3d", "channel", "nm", "block"',
  );
  unknown(() => createSaliency("l3"), "saliency metric", '"l1", "l2", "mean-abs"');
  unknown(() => createSaliency("toString"), "saliency metric", '"taylor"');
  unknown(() => createEncoder("huffman"), "encoder", '"dense", "relative-index", "bitmask", "csr"');
});

Deno.test("create*() name the plugin and option for unknown or bad options", () => {
  const bad = (f: () => unknown, field: string) =>
    assert.throws(f, (e: unknown) => e instanceof ConfigError && e.field === field);
  bad(() => createGranularity("2d", { axis: "row" }), "2d.axis");
  bad(() => createGranularity("1d", { axis: 3 }), "1d.axis");
  bad(() => createSaliency("l1", { seed: 1 }), "l1.seed");
  bad(() => createSaliency("taylor", { gradients: [] }), "taylor.gradients");
  bad(() => createEncoder("relative-index", { indexBits: 40 }), "relative-index.indexBits");
  bad(() => createEncoder("csr", { indexBits: 4 }), "csr.indexBits");
  bad(() => createEncoder("bitmask", { valueBits: 0 }), "bitmask.valueBits");
});

import assert from "node:assert/strict";
import { ConfigError, LayerError } from "@sparsegrain/core";
import { assertGranularityConforms } from "@sparsegrain/core/testing";
import { nmGranularity } from "./nm.ts";
import { shapeOnly } from "./_test_layers.ts";

Deno.test("nmGranularity() groups m consecutive input channels at a fixed (h, w, o)", () => {
  const shape = [2, 1, 8, 3];
  const grains = nmGranularity({ n: 1, m: 4 }).partition(shapeOnly("c", "conv2d", shape))!;
  assert.equal(grains.count, 48);
  assert.equal(grains.maxSize, 1);
  const groups = grains.groups!;
  assert.equal(groups.keep, 1);
  assert.equal(groups.count, 2 * 1 * 2 * 3);
  const at = (h: number, i: number, o: number) => (h * 8 + i) * 3 + o;
  for (let h = 0; h < 2; h++) {
    for (let o = 0; o < 3; o++) {
      for (let run = 0; run < 2; run++) {
        const members = [0, 1, 2, 3].map((k) => groups.groupOf[at(h, run * 4 + k, o)]);
        assert.ok(members.every((g) => g === members[0]), "one group per run");
        assert.equal(members[0], (h * 2 + run) * 3 + o);
      }
    }
  }
});

Deno.test("nmGranularity() refuses a layer whose input channels are not a multiple of m", () => {
  assert.throws(
    () => nmGranularity({ n: 2, m: 4 }).partition(shapeOnly("conv1", "conv2d", [3, 3, 3, 8])),
    (e: unknown) =>
      e instanceof LayerError && e.layer === "conv1" && e.field === "shape" &&
      /input channels \(3\) to be a multiple of m = 4/.test(e.message),
  );
  assert.throws(
    () => nmGranularity({ n: 2, m: 4 }).partition(shapeOnly("fc", "dense", [10, 2])),
    (e: unknown) => e instanceof LayerError && e.layer === "fc",
  );
  // the dense policy can side-step N:M on dense layers
  assert.equal(
    nmGranularity({ dense: "element" }).partition(shapeOnly("fc", "dense", [10, 2]))!.groups,
    undefined,
  );
});

Deno.test("nmGranularity() validates n and m", () => {
  assert.throws(
    () => nmGranularity({ n: 5, m: 4 }),
    (e: unknown) => e instanceof ConfigError && e.field === "nm.n",
  );
  assert.throws(() => nmGranularity({ n: 0, m: 4 }), ConfigError);
  assert.throws(
    () => nmGranularity({ n: 1, m: 2.5 }),
    (e: unknown) => e instanceof ConfigError && e.field === "nm.m",
  );
  assert.deepEqual(nmGranularity().options, {
    n: 2,
    m: 4,
    dense: "conv",
    pointwise: "prune",
    depthwise: "kernel",
  });
});

Deno.test("nmGranularity() conforms to the core kit", () => {
  assertGranularityConforms(nmGranularity({ n: 2, m: 4 }));
  assertGranularityConforms(nmGranularity({ n: 1, m: 2 }));
});

import assert from "node:assert/strict";
import fc from "fast-check";
import { blockGrains, LayerError } from "@sparsegrain/core";
import { compactKept, grainOrder, maskWords, scanGrains } from "./_grain_order.ts";

Deno.test("compactKept() lists the non-zero entries of any mask slice, aligned or not (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 0, max: 7 }),
      fc.integer({ min: 0, max: 3 }),
      (data, offset, density) => {
        const backing = new Uint8Array(data.length + offset);
        backing.set(data.map((b) => (b % 4 < density ? b || 1 : 0)), offset);
        const mask = backing.subarray(offset);
        const words = maskWords(mask);
        const expected = [...mask.keys()].filter((e) => mask[e] !== 0);
        const out = new Int32Array(mask.length + 4);
        const found: number[] = [];
        for (let start = 0; start < mask.length; start += 8) {
          const k = compactKept(words, start, Math.min(mask.length, start + 8), out);
          found.push(...out.subarray(0, k));
        }
        assert.deepEqual(found, expected);
      },
    ),
    { seed: 3, numRuns: 500 },
  );
});

Deno.test("compactKept() lists the non-zero entries of any range, whatever its ends (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 300 }),
      fc.integer({ min: 0, max: 3 }),
      fc.nat(),
      fc.nat(),
      (data, offset, x, y) => {
        const backing = new Uint8Array(data.length + offset);
        backing.set(data.map((b) => (b % 3 === 0 ? 0 : b)), offset);
        const mask = backing.subarray(offset);
        const start = x % (mask.length + 1);
        const end = start + (y % (mask.length - start + 1));
        const expected = [...mask.keys()].filter((e) => e >= start && e < end && mask[e] !== 0);
        const out = new Int32Array(end - start + 4);
        const k = compactKept(maskWords(mask), start, end, out);
        assert.deepEqual([...out.subarray(0, k)], expected);
      },
    ),
    { seed: 4, numRuns: 500 },
  );
});

Deno.test("grainOrder() lists full blocks by base + offsets and marks edge blocks", () => {
  const grains = blockGrains([3, 5], [2, 2]);
  const order = grainOrder(grains);
  assert.equal(order.identity, false);
  assert.deepEqual([...order.rel], [0, 1, 5, 6]);
  assert.deepEqual([...order.base!], [0, 2, -1, -1, -1, -1]);
  assert.deepEqual([...order.sizes!], [4, 4, 2, 2, 2, 1]);
  assert.equal(grainOrder(blockGrains([4, 4], [1, 1])).identity, true);
  assert.equal(grainOrder(blockGrains([4, 4], [2, 2])).sizes, undefined);
});

Deno.test("scanGrains() flags kept grains, finds the largest kept |w| and refuses split grains", () => {
  const grains = blockGrains([2, 4], [1, 2]);
  const layer = {
    name: "fc",
    kind: "dense" as const,
    shape: [2, 4],
    values: new Float32Array([1, -9, 2, 2, 3, 3, -4, 4]),
  };
  const scan = scanGrains(
    layer,
    new Uint8Array([0, 0, 7, 255, 0, 0, 1, 1]),
    grains,
    grainOrder(grains),
  );
  assert.deepEqual([...scan.flags], [0, 1, 0, 1]);
  assert.deepEqual([scan.keptGrains, scan.keptElements, scan.maxAbs], [2, 4, 4]);
  assert.throws(
    () => scanGrains(layer, new Uint8Array([0, 1, 0, 0, 0, 0, 0, 0]), grains, grainOrder(grains)),
    (e: unknown) =>
      e instanceof LayerError && /grain 0 has 1 of its 2 elements kept/.test(e.message),
  );
  const elements = blockGrains([2, 4], [1, 1]);
  const unaligned = new Uint8Array(9).subarray(1);
  unaligned.set([0, 3, 0, 0, 0, 0, 0, 200]);
  const s2 = scanGrains(layer, unaligned, elements, grainOrder(elements));
  assert.deepEqual([s2.keptGrains, s2.maxAbs], [2, 9]);
});

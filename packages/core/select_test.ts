import assert from "node:assert/strict";
import fc from "fast-check";
import { selectByBudget, selectPerGroup, selectTopK } from "./select.ts";

/** Reference: sort by (score desc, position asc), take until the weight reaches the budget. */
function reference(lists: { scores: number[]; weight: number }[], budget: number): number[][] {
  const all = lists.flatMap((l, li) =>
    l.scores.map((s, i) => ({ s: Math.fround(s), li, i, w: l.weight }))
  );
  all.sort((a, b) => b.s - a.s || a.li - b.li || a.i - b.i);
  const out = lists.map((l) => l.scores.map(() => 0));
  let taken = 0;
  for (const e of all) {
    if (taken >= budget) break;
    out[e.li][e.i] = 1;
    taken += e.w;
  }
  return out;
}

Deno.test("selectByBudget() equals a sort-based reference on random scores with ties", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          scores: fc.array(
            fc.oneof(fc.constantFrom(0, 0.5, 1), fc.float({ min: 0, max: 100, noNaN: true })),
            {
              minLength: 1,
              maxLength: 60,
            },
          ),
          weight: fc.integer({ min: 1, max: 9 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (lists, fraction) => {
        const total = lists.reduce((s, l) => s + l.scores.length * l.weight, 0);
        const budget = Math.round(fraction * total);
        const got = selectByBudget(
          lists.map((l) => ({ scores: new Float32Array(l.scores), weight: l.weight })),
          budget,
        );
        assert.deepEqual(got.map((m) => [...m]), reference(lists, budget));
      },
    ),
    { seed: 7, numRuns: 400 },
  );
});

Deno.test("selectTopK() keeps exactly k, honours eligibility and rejects bad scores", () => {
  const scores = new Float32Array([5, 4, 3, 2, 1]);
  assert.deepEqual([...selectTopK(scores, 2, new Uint8Array([0, 1, 1, 1, 1]))], [0, 1, 1, 0, 0]);
  assert.deepEqual([...selectTopK(scores, 9, new Uint8Array([1, 0, 1, 1, 1]))], [1, 0, 1, 1, 1]);
  assert.deepEqual([...selectTopK(scores, 0)], [0, 0, 0, 0, 0]);
  assert.throws(() => selectTopK(new Float32Array([1, NaN]), 1), /score 1 is NaN/);
  assert.throws(() => selectTopK(new Float32Array([-1, 2]), 1), /finite and non-negative/);
});

Deno.test("selectPerGroup() keeps exactly keep per group", () => {
  const groupOf = new Int32Array([0, 1, 0, 1, 0, 1, 0, 1]);
  const mask = selectPerGroup(new Float32Array([1, 8, 4, 7, 2, 6, 3, 5]), {
    count: 2,
    keep: 2,
    groupOf,
  });
  assert.deepEqual([...mask], [0, 1, 1, 1, 0, 0, 1, 0]);
});

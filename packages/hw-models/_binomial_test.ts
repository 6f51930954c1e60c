import assert from "node:assert/strict";
import { expectedVectors } from "./_binomial.ts";

/** E[ceil(X / width)] by visiting all 2^n activation patterns of an n-position tile. */
function bruteForce(n: number, d: number, width: number): number {
  let sum = 0;
  for (let pattern = 0; pattern < 1 << n; pattern++) {
    let ones = 0;
    for (let b = 0; b < n; b++) ones += (pattern >> b) & 1;
    sum += d ** ones * (1 - d) ** (n - ones) * Math.ceil(ones / width);
  }
  return sum;
}

Deno.test("expectedVectors() matches enumeration of every activation pattern", () => {
  for (const n of [0, 1, 3, 4, 5, 9, 12]) {
    for (const d of [0, 0.1, 0.375, 0.5, 0.9, 1]) {
      for (const width of [1, 3, 4]) {
        const got = expectedVectors(n, d, width);
        const want = bruteForce(n, d, width);
        assert.ok(
          Math.abs(got - want) <= 1e-12 * Math.max(1, want),
          `${n} ${d} ${width}: ${got} vs ${want}`,
        );
      }
    }
  }
});

Deno.test("expectedVectors() rises with density and stays finite on large tiles", () => {
  let previous = 0;
  for (let d = 0; d <= 1.0001; d += 0.05) {
    const v = expectedVectors(900, Math.min(d, 1), 4);
    assert.ok(Number.isFinite(v) && v >= previous - 1e-9, `${d}: ${v} after ${previous}`);
    previous = v;
  }
  assert.equal(expectedVectors(900, 1, 4), 225);
});

import assert from "node:assert/strict";
import { ConfigError } from "@sparsegrain/core";
import { learningRateAt } from "./lr_schedule.ts";

Deno.test("learningRateAt() follows constant, step and cosine schedules", () => {
  assert.equal(learningRateAt({ name: "constant" }, 0.1, 7.5, 10), 0.1);
  const step = { name: "step", every: 3, gamma: 0.5 } as const;
  assert.deepEqual([0, 2.99, 3, 5.5, 6, 9].map((e) => learningRateAt(step, 0.8, e, 10)), [
    0.8,
    0.8,
    0.4,
    0.4,
    0.2,
    0.1,
  ]);
  const cos = { name: "cosine", min: 0.01 } as const;
  assert.equal(learningRateAt(cos, 0.11, 0, 20), 0.11);
  assert.ok(Math.abs(learningRateAt(cos, 0.11, 10, 20) - 0.06) < 1e-12);
  assert.ok(Math.abs(learningRateAt(cos, 0.11, 20, 20) - 0.01) < 1e-12);
  let last = Infinity;
  for (let e = 0; e <= 20; e += 0.5) {
    const r = learningRateAt(cos, 0.11, e, 20);
    assert.ok(r <= last);
    last = r;
  }
});

Deno.test("learningRateAt() warms up linearly from a tenth of the rate", () => {
  assert.ok(Math.abs(learningRateAt({ name: "constant" }, 1, 0, 10, 2) - 0.1) < 1e-12);
  assert.ok(Math.abs(learningRateAt({ name: "constant" }, 1, 1, 10, 2) - 0.55) < 1e-12);
  assert.equal(learningRateAt({ name: "constant" }, 1, 2, 10, 2), 1);
});

Deno.test("learningRateAt() rejects bad schedules", () => {
  assert.throws(() => learningRateAt({ name: "step", every: 0 }, 0.1, 0, 1), ConfigError);
  assert.throws(() => learningRateAt({ name: "cosine", min: 1 }, 0.1, 0, 1), ConfigError);
  assert.throws(() => learningRateAt({ name: "linear" } as never, 0.1, 0, 1), ConfigError);
  assert.throws(() => learningRateAt({ name: "constant" }, 0, 0, 1), ConfigError);
});

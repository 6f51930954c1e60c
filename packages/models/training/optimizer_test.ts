import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, seededRandom } from "@sparsegrain/core";
import { setupWasmBackend } from "../backend/setup_wasm_backend.ts";
import { createOptimizer, type OptimizerSpec } from "./optimizer.ts";

function normals(n: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return new Float32Array(n).map(() => (r() + r() + r() - 1.5) * 2);
}

function mask(n: number, seed: number): Uint8Array {
  const r = seededRandom(seed);
  return new Uint8Array(n).map(() => (r() < 0.6 ? 0 : 1));
}

const SPECS: OptimizerSpec[] = [
  { name: "sgd", momentum: 0.9 },
  { name: "sgd", momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
  { name: "adam" },
  { name: "adam", weightDecay: 1e-4 },
];

for (const spec of SPECS) {
  Deno.test(`${JSON.stringify(spec)} keeps pruned weights at +0 and their state at 0 after every step`, async () => {
    await setupWasmBackend();
    const before = tf.memory().numTensors;
    const shape = [3, 3, 4, 5];
    const n = 180;
    const m = mask(n, 2);
    // Pruned weights start non-zero: the first masked step must zero them and keep them zero.
    const w = tf.tidy(() => tf.variable(tf.tensor(normals(n, 1), shape)));
    const free = tf.tidy(() => tf.variable(tf.tensor(normals(7, 3), [7])));
    const opt = createOptimizer(spec);
    for (let step = 0; step < 25; step++) {
      // Gradients are large everywhere, pruned positions included.
      const g = tf.tensor(normals(n, 100 + step), shape);
      const gf = tf.tensor(normals(7, 200 + step), [7]);
      opt.step([{ variable: w, mask: m }, { variable: free }], [g, gf], 0.05);
      tf.dispose([g, gf]);
      const values = w.dataSync();
      for (let i = 0; i < n; i++) {
        if (m[i] === 0) assert.ok(Object.is(values[i], 0), `step ${step}: w[${i}] = ${values[i]}`);
      }
      assert.equal(opt.state(w).length, spec.name === "adam" ? 2 : 1);
      for (const sv of opt.state(w)) {
        for (let i = 0; i < n; i++) {
          if (m[i] === 0) assert.equal(sv[i], 0, `step ${step}: state[${i}]`);
        }
      }
    }
    const kept = w.dataSync();
    assert.ok([...kept].some((v, i) => m[i] === 1 && v !== 0), "kept weights train");
    assert.equal(opt.iterations, 25);
    opt.dispose();
    tf.dispose([w, free]);
    assert.equal(tf.memory().numTensors, before);
  });
}

Deno.test("SGD momentum and Adam follow their update rules (unmasked, against a float64 reference)", async () => {
  await setupWasmBackend();
  const n = 11;
  const w0 = normals(n, 5);
  const grads = [0, 1, 2, 3].map((s) => normals(n, 50 + s));
  const lr = 0.1;
  // SGD, Nesterov momentum 0.8, weight decay 0.01.
  {
    const w = tf.variable(tf.tensor(w0));
    const opt = createOptimizer({ name: "sgd", momentum: 0.8, nesterov: true, weightDecay: 0.01 });
    const ref = Float64Array.from(w0);
    const v = new Float64Array(n);
    for (const g of grads) {
      const gt = tf.tensor(g);
      opt.step([{ variable: w }], [gt], lr);
      gt.dispose();
      for (let i = 0; i < n; i++) {
        const gi = g[i] + 0.01 * ref[i];
        v[i] = 0.8 * v[i] + gi;
        ref[i] -= lr * (gi + 0.8 * v[i]);
      }
    }
    const got = w.dataSync();
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(got[i] - ref[i]) < 1e-5, `sgd ${i}: ${got[i]} vs ${ref[i]}`);
    }
    opt.dispose();
    w.dispose();
  }
  // Adam.
  {
    const w = tf.variable(tf.tensor(w0));
    const opt = createOptimizer({ name: "adam", beta1: 0.9, beta2: 0.99, epsilon: 1e-8 });
    const ref = Float64Array.from(w0);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    grads.forEach((g, k) => {
      const gt = tf.tensor(g);
      opt.step([{ variable: w }], [gt], lr);
      gt.dispose();
      const t = k + 1;
      for (let i = 0; i < n; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
        const mh = m[i] / (1 - 0.9 ** t);
        const vh = v[i] / (1 - 0.99 ** t);
        ref[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
      }
    });
    const got = w.dataSync();
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(got[i] - ref[i]) < 1e-4, `adam ${i}: ${got[i]} vs ${ref[i]}`);
    }
    opt.dispose();
    w.dispose();
  }
});

Deno.test("createOptimizer() rejects unknown names and bad hyper-parameters", () => {
  assert.throws(
    () => createOptimizer({ name: "rmsprop" } as unknown as OptimizerSpec),
    ConfigError,
  );
  assert.throws(() => createOptimizer({ name: "sgd", momentum: 1.5 }), ConfigError);
  assert.throws(() => createOptimizer({ name: "adam", beta2: -1 }), ConfigError);
});

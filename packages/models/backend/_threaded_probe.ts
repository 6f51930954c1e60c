/**
 * Test helper run in a subprocess by setup_wasm_backend_test.ts (backend setup is global, so the
 * threaded build gets a process of its own): sets up wasm with 2 threads, compares a conv net's
 * gradients with the cpu backend and prints one JSON line.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { setupWasmBackend, wasmBackendThreads } from "./setup_wasm_backend.ts";
import { simdKernels } from "./_simd.ts";

await setupWasmBackend({ threads: 2 });
const backend = tf.getBackend();
const threads = wasmBackendThreads();
let s = 7;
const rand = (n: number) =>
  new Float32Array(n).map(() => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
const xs = rand(8 * 16 * 16 * 3);
const w1s = rand(3 * 3 * 3 * 16);
const w2s = rand(3 * 3 * 16 * 8);
const grads: Record<string, Float32Array[]> = {};
let leak = 0;
for (const b of ["cpu", "wasm"]) {
  await tf.setBackend(b);
  const x = tf.tensor4d(xs, [8, 16, 16, 3]);
  const w1 = tf.variable(tf.tensor4d(w1s, [3, 3, 3, 16]));
  const w2 = tf.variable(tf.tensor4d(w2s, [3, 3, 16, 8]));
  const loss = () =>
    tf.tidy(() => {
      const h = tf.maxPool(tf.relu(tf.conv2d(x, w1, 1, "same")), 2, 2, "valid");
      return tf.sum(tf.square(tf.conv2d(h, w2, 2, "valid")));
    }) as tf.Scalar;
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const { value, grads: g } = tf.variableGrads(loss, [w1, w2]);
    grads[b] = [g[w1.name].dataSync().slice(), g[w2.name].dataSync().slice()] as Float32Array[];
    tf.dispose([value, ...Object.values(g)]);
  }
  leak += tf.memory().numTensors - before;
}
let err = 0;
for (let k = 0; k < 2; k++) {
  let d = 0;
  let m = 0;
  grads.wasm[k].forEach((v, i) => {
    d = Math.max(d, Math.abs(v - grads.cpu[k][i]));
    m = Math.max(m, Math.abs(grads.cpu[k][i]));
  });
  err = Math.max(err, d / m);
}
await tf.setBackend("wasm");
const simd = simdKernels(tf.backend()) !== null;
console.log(JSON.stringify({ backend, threads, err, leak, simd }));

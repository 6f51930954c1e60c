import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import { setupWasmBackend, wasmBackendThreads } from "./setup_wasm_backend.ts";
import { simdKernels } from "./_simd.ts";

Deno.test("setupWasmBackend() selects wasm idempotently and validates threads", async () => {
  await setupWasmBackend();
  assert.equal(tf.getBackend(), "wasm");
  assert.ok(wasmBackendThreads() >= 1);
  await tf.setBackend("cpu");
  await setupWasmBackend();
  assert.equal(tf.getBackend(), "wasm");
  await assert.rejects(setupWasmBackend({ threads: 0 }), ConfigError);
  await assert.rejects(setupWasmBackend({ threads: 1.5 }), ConfigError);
  assert.notEqual(simdKernels(tf.backend()), null, "the SIMD kernels instantiate");
});

Deno.test("the threaded-SIMD build runs under Deno with 2 threads and matches cpu gradients", async () => {
  const probe = new URL("./_threaded_probe.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe],
    env: { SPARSEGRAIN_WASM_THREADS: "1" }, // the probe asks for 2 explicitly: options win
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const r = JSON.parse(text.split("\n").pop()!);
  assert.equal(r.backend, "wasm");
  assert.equal(r.threads, 2);
  assert.ok(r.err <= 1e-4, `relative error ${r.err}`);
  assert.equal(r.leak, 0);
  assert.equal(r.simd, true, "the SIMD kernels instantiate on the shared memory");
});

Deno.test("SPARSEGRAIN_WASM_THREADS sets the default thread count", async () => {
  const module = new URL("./setup_wasm_backend.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { setupWasmBackend, wasmBackendThreads } from "${module}";
       await setupWasmBackend();
       console.log(wasmBackendThreads());`,
    ],
    env: { SPARSEGRAIN_WASM_THREADS: "2" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "2");
});

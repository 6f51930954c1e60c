/**
 * Makes the tfjs `wasm` backend (XNNPACK, SIMD) the active backend, with the training kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "@sparsegrain/core";
import { registerWasmTrainingKernels } from "./training_kernels.ts";
import { registerThreadedWasmBackend, unrefWasmWorkers } from "./_threaded_wasm.ts";

/** Options of {@link setupWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * XNNPACK threads. 1 uses tfjs's single-threaded SIMD build; more loads the threaded-SIMD
   * build with that many threads (emscripten pthread workers). 2 threads trained the small CNN
   * 1.2x faster with an idle second core but slower on a loaded machine (docs/benchmarks.md).
   * @default the `SPARSEGRAIN_WASM_THREADS` environment variable when set, else 1
   */
  threads?: number;
}

let ready: Promise<void> | undefined;
let threadsInUse = 0;

/**
 * Loads `@tensorflow/tfjs-backend-wasm` (its `.wasm` binaries are read from the npm package
 * folder), registers the training kernels ({@link registerWasmTrainingKernels}) and makes
 * `wasm` the active backend. Idempotent: later calls return the first call's promise (its
 * options stay in force), and re-select `wasm` if another backend was selected meanwhile.
 *
 * @param options thread count
 * @returns a promise that resolves once `tf.getBackend() === "wasm"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { setupWasmBackend } from "@sparsegrain/models";
 * await setupWasmBackend();
 * assert(tf.getBackend() === "wasm");
 * ```
 */
export function setupWasmBackend(options: WasmBackendOptions = {}): Promise<void> {
  const threads = options.threads ?? envThreads() ?? 1;
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 8)) {
    return Promise.reject(
      new ConfigError(
        "threads",
        `expected a whole number from 1 to 8, found ${threads}: use 1 or 2`,
      ),
    );
  }
  if (ready === undefined) {
    ready = (async () => {
      // Imported here, not at module load, so that importing this package does not make an
      // uninitialised wasm backend the default for code that never calls this function.
      await import("@tensorflow/tfjs-backend-wasm");
      registerWasmTrainingKernels();
      if (threads > 1) await registerThreadedWasmBackend(threads);
      const ok = await tf.setBackend("wasm");
      if (!ok) {
        throw new Error(
          "Cannot start the tfjs wasm backend: reinstall @tensorflow/tfjs-backend-wasm so that its dist/*.wasm files exist",
        );
      }
      await tf.ready();
      unrefWasmWorkers();
      threadsInUse = wasmThreads();
    })();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  }
  return ready.then(async () => {
    if (tf.getBackend() !== "wasm") {
      await tf.setBackend("wasm");
      await tf.ready();
    }
  });
}

function envThreads(): number | undefined {
  try {
    const v = Deno.env.get("SPARSEGRAIN_WASM_THREADS");
    return v === undefined || v === "" ? undefined : Number(v);
  } catch {
    return undefined; // no --allow-env
  }
}

function wasmThreads(): number {
  const backend = tf.findBackend("wasm") as unknown as {
    wasm?: { tfjs?: { getThreadsCount?: () => number } };
  } | null;
  return backend?.wasm?.tfjs?.getThreadsCount?.() ?? 1;
}

/**
 * The number of XNNPACK threads of the wasm backend set up by {@link setupWasmBackend}
 * (0 before it ran).
 *
 * @returns the thread count
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setupWasmBackend, wasmBackendThreads } from "@sparsegrain/models";
 * await setupWasmBackend();
 * assert(wasmBackendThreads() >= 1);
 * ```
 */
export function wasmBackendThreads(): number {
  return threadsInUse;
}

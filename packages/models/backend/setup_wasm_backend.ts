/**
 * Makes the tfjs `wasm` backend (XNNPACK, SIMD) the active backend, with the training kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "./training_kernels.ts";

let ready: Promise<void> | undefined;

/**
 * Loads `@tensorflow/tfjs-backend-wasm` (its `.wasm` binaries are read from the npm package
 * folder), registers the training kernels ({@link registerWasmTrainingKernels}) and makes
 * `wasm` the active backend. Idempotent: later calls return the first call's promise, and
 * re-select `wasm` if another backend was selected meanwhile.
 *
 * @returns a promise that resolves once `tf.getBackend() === "wasm"`
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { setupWasmBackend } from "@sparsegrain/models";
 * await setupWasmBackend();
 * console.assert(tf.getBackend() === "wasm");
 * ```
 */
export function setupWasmBackend(): Promise<void> {
  if (ready === undefined) {
    ready = (async () => {
      // Imported here, not at module load, so that importing this package does not make an
      // uninitialised wasm backend the default for code that never calls this function.
      await import("@tensorflow/tfjs-backend-wasm");
      registerWasmTrainingKernels();
      const ok = await tf.setBackend("wasm");
      if (!ok) {
        throw new Error(
          "Cannot start the tfjs wasm backend: reinstall @tensorflow/tfjs-backend-wasm so that its dist/*.wasm files exist",
        );
      }
      await tf.ready();
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

/**
 * Typed access to the parts of the tfjs wasm backend that the training kernels use: allocating
 * outputs on the wasm heap, viewing them as typed arrays, freeing intermediates and calling the
 * backend's own kernels on `TensorInfo`s without going through the engine.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** A tensor as the backend sees it. */
export type Info = tf.TensorInfo;

/** The subset of `BackendWasm` the training kernels rely on. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** Narrows a kernel's `backend` argument to the wasm backend API. */
export function asWasm(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend>;
  if (
    typeof b?.makeOutput !== "function" || typeof b.typedArrayFromHeap !== "function" ||
    typeof b.disposeData !== "function"
  ) {
    throw new TypeError("Training kernel called on a backend that is not tfjs wasm");
  }
  return b as WasmBackend;
}

/** A float32 view of a tensor on the wasm heap; re-take views after any allocation. */
export function f32(backend: WasmBackend, info: Info): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A kernel function captured from the registry (the original one when we override). */
export type KernelImpl = tf.KernelFunc;

/** Looks up the kernel function registered for `name` on wasm; throws when missing. */
export function wasmKernel(name: string): KernelImpl {
  const config = tf.getKernel(name, "wasm");
  if (config === undefined) {
    throw new Error(
      `The tfjs wasm backend has no "${name}" kernel: import "@tensorflow/tfjs-backend-wasm" 4.22.0 first (setupWasmBackend() does)`,
    );
  }
  return config.kernelFunc;
}

/** Runs a kernel function directly on the backend; the result has refCount 1. */
export function run(
  kernel: KernelImpl,
  backend: WasmBackend,
  inputs: Record<string, Info>,
  attrs: Record<string, unknown>,
): Info {
  return kernel({
    inputs: inputs as tf.NamedTensorInfoMap,
    attrs: attrs as tf.NamedAttrMap,
    backend: backend as unknown as tf.KernelBackend,
  }) as Info;
}

/** Frees intermediates made inside a kernel. */
export function free(backend: WasmBackend, ...infos: (Info | undefined)[]): void {
  for (const info of infos) if (info !== undefined) backend.disposeData(info.dataId);
}

/** Normalises a stride/dilation attribute to a pair. */
export function pair(v: number | readonly number[] | undefined, fallback = 1): [number, number] {
  if (v === undefined || v === null) return [fallback, fallback];
  if (typeof v === "number") return [v, v];
  return [v[0], v[1]];
}

/**
 * Instantiates the hand-written SIMD kernels (_simd_kernels.wat) on the wasm backend's own
 * memory, so they read and write tensors in place by byte offset.
 *
 * @module
 */
import { SIMD_KERNELS_SHARED_WASM, SIMD_KERNELS_WASM } from "./_simd_kernels.ts";

/** The exported kernels. */
export interface SimdKernels {
  /** See _simd_kernels.wat. Pointers are byte offsets into the backend's memory. */
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    ch: number,
    oh: number,
    ow: number,
  ): void;
  /** See _simd_kernels.wat: the conv filter gradient accumulated in one pass over dy. */
  convFilterGradSmall(
    x: number,
    dy: number,
    dw: number,
    batch: number,
    inH: number,
    inW: number,
    cin: number,
    oh: number,
    ow: number,
    cout: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    dh: number,
    dwl: number,
    pt: number,
    pl: number,
  ): void;
}

const cache = new WeakMap<object, SimdKernels | null>();

function decode(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The kernels bound to this backend's memory, or null when they cannot be instantiated. */
export function simdKernels(backend: unknown): SimdKernels | null {
  const wasm = (backend as { wasm?: { asm?: Record<string, unknown>; wasmMemory?: unknown } }).wasm;
  if (wasm === undefined) return null;
  if (cache.has(wasm)) return cache.get(wasm)!;
  let kernels: SimdKernels | null = null;
  try {
    // Exported by the single-threaded builds; the threaded build creates it in JS.
    const memory = [wasm.wasmMemory, ...Object.values(wasm.asm ?? {})].find((v) =>
      v instanceof WebAssembly.Memory
    ) as WebAssembly.Memory | undefined;
    if (memory !== undefined) {
      const shared = typeof SharedArrayBuffer !== "undefined" &&
        memory.buffer instanceof SharedArrayBuffer;
      const module = new WebAssembly.Module(
        decode(shared ? SIMD_KERNELS_SHARED_WASM : SIMD_KERNELS_WASM) as Uint8Array<ArrayBuffer>,
      );
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      kernels = instance.exports as unknown as SimdKernels;
    }
  } catch {
    kernels = null; // fall back to the typed-array routines
  }
  cache.set(wasm, kernels);
  return kernels;
}

/** Byte offset of a tensor on the wasm heap. */
export function heapOffset(backend: unknown, dataId: object): number {
  return (backend as { dataIdMap: { get(id: object): { memoryOffset: number } } }).dataIdMap.get(
    dataId,
  ).memoryOffset;
}

/**
 * Loads tfjs's threaded-SIMD wasm build under Deno. tfjs itself disables threads outside
 * browsers: emscripten starts its pthread workers from a Blob URL through `node:worker_threads`,
 * which Deno accepts only as a file path (`ERR_WORKER_PATH`), and sizes XNNPACK's thread pool
 * from half the logical cores (1 on a 2-core machine). This module instead writes the pthread
 * worker script to a temporary file, answers the core count with the requested thread count,
 * builds the module and registers a `wasm` backend on it. The worker threads are `unref`ed so
 * that they do not keep the process alive.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { unusedWorkers: Worker[]; runningWorkers: Worker[] };
  tfjs?: Record<string, unknown>;
}

interface Worker {
  unref?: () => void;
}

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

let workerDir: string | undefined;

async function workerScript(contents: string): Promise<string> {
  if (workerDir === undefined) {
    workerDir = await Deno.makeTempDir({ prefix: "sparsegrain-wasm-" });
    const dir = workerDir;
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // already gone
      }
    });
  }
  const path = `${workerDir}/tfjs-backend-wasm-threaded-simd.worker.cjs`;
  // Same escaping as tfjs's Blob path: the script holds "\n" inside string literals. Deno's
  // worker global has a getter-only `location`, so assign the node shims one by one.
  const script = contents.replace(/\n/g, "\\n").replace(
    "Object.assign(global,{",
    "((t,s)=>{for(const k of Object.keys(s)){try{t[k]=s[k]}catch(_){}}})(global,{",
  );
  await Deno.writeTextFile(path, script);
  return path;
}

/**
 * Builds the threaded-SIMD module with `threads` XNNPACK threads and registers it as the `wasm`
 * backend (replacing the single-threaded registration). Returns the actual thread count.
 */
export async function registerThreadedWasmBackend(threads: number): Promise<void> {
  const wasmPkg = await import("@tensorflow/tfjs-backend-wasm");
  const factoryModule = await import(
    "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js"
  );
  const workerModule = await import(
    "@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js"
  );
  const factory = ((factoryModule as { default?: unknown }).default ?? factoryModule) as Factory;
  const contents = ((workerModule as { default?: { wasmWorkerContents?: string } }).default
    ?.wasmWorkerContents ??
    (workerModule as { wasmWorkerContents?: string }).wasmWorkerContents) as string;
  if (typeof factory !== "function" || typeof contents !== "string") {
    throw new Error("Unexpected layout of @tensorflow/tfjs-backend-wasm: use version 4.22.0");
  }
  const workerPath = await workerScript(contents);
  let binaryPath = "";
  const module = await factory({
    locateFile(path: string, prefix: string): string {
      if (path.endsWith(".worker.js")) return workerPath;
      if (path.endsWith(".wasm")) {
        binaryPath = `${prefix}../dist/tfjs-backend-wasm-threaded-simd.wasm`;
        return binaryPath;
      }
      return prefix + path;
    },
    instantiateWasm(
      info: { env: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      // tfjs caps the pool at emscripten_num_logical_cores() / 2.
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      Deno.readFile(binaryPath)
        .then((bytes) => WebAssembly.instantiate(bytes, info as WebAssembly.Imports))
        .then((r) => receive(r.instance, r.module));
      return {};
    },
  });
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  wasmPkg.setThreadsCount(threads);
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    () =>
      new wasmPkg.BackendWasm(
        module as unknown as ConstructorParameters<typeof wasmPkg.BackendWasm>[0],
      ),
    3,
  );
}

/** Lets the process exit while emscripten's pthread workers idle. */
export function unrefWasmWorkers(): void {
  const backend = tf.findBackend("wasm") as unknown as { wasm?: EmscriptenModule } | null;
  const pt = backend?.wasm?.PThread;
  if (pt === undefined) return;
  for (const w of [...pt.unusedWorkers, ...pt.runningWorkers]) w.unref?.();
}

// The training kernels against tfjs wasm's own on the small CNN's shapes: one group per kernel,
// tfjs wasm's kernel as the baseline (docs/benchmarks.md, "Where the time went").
//   deno bench -A bench/training_kernels_bench.ts
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { setupWasmBackend } from "@sparsegrain/models";

// tfjs wasm's own kernels, captured before setupWasmBackend() replaces them.
const own: Record<string, tf.KernelFunc> = {};
for (const k of ["MaxPoolGrad", "Sum", "Conv2DBackpropInput", "Identity", "BatchMatMul"]) {
  own[k] = tf.getKernel(k, "wasm")!.kernelFunc;
}
await setupWasmBackend();
const backend = tf.backend() as unknown as tf.KernelBackend;

function theirs(kernel: string, inputs: tf.NamedTensorInfoMap, attrs: Record<string, unknown>) {
  return () => {
    const info = own[kernel]({ inputs, attrs: attrs as tf.NamedAttrMap, backend }) as tf.TensorInfo;
    const t = tf.engine().makeTensorFromTensorInfo(info);
    t.dataSync();
    t.dispose();
  };
}

function ours(f: () => tf.Tensor) {
  return () => {
    const t = f();
    t.dataSync();
    t.dispose();
  };
}

const y1 = tf.randomNormal([64, 26, 26, 32]) as tf.Tensor4D;
const p1 = tf.maxPool(y1, 2, 2, "valid");
const x1 = tf.randomUniform([64, 28, 28, 1]) as tf.Tensor4D;
const dy2 = tf.randomNormal([64, 11, 11, 64]) as tf.Tensor4D;
const w2 = tf.randomNormal([3, 3, 32, 64]) as tf.Tensor4D;
const a = tf.randomNormal([64, 1600]);
const g = tf.randomNormal([64, 128]);
const pool = { filterSize: 2, strides: 2, pad: "valid" };
const input = { strides: 1, pad: "valid", dataFormat: "NHWC", inputShape: [64, 13, 13, 32] };

const cases: [string, () => void, () => void][] = [
  [
    "MaxPoolGrad [64,26,26,32] 2x2/2",
    theirs("MaxPoolGrad", { dy: p1, input: y1, output: p1 }, pool),
    ours(() =>
      tf.engine().runKernel("MaxPoolGrad", { dy: p1, input: y1, output: p1 }, pool) as tf.Tensor
    ),
  ],
  [
    "Sum over [0,1,2] of [64,26,26,32]",
    theirs("Sum", { x: y1 }, { axis: [0, 1, 2], keepDims: false }),
    ours(() => tf.sum(y1, [0, 1, 2])),
  ],
  [
    "Conv2DBackpropFilter 3x3x1x32 (first layer)",
    // The transposed forward-conv construction, which packs the whole gradient as its filter.
    ours(() =>
      tf.tidy(() => {
        const xt = tf.transpose(x1, [3, 1, 2, 0]) as tf.Tensor4D;
        const dyt = tf.transpose(tf.add(y1, 0), [1, 2, 0, 3]) as tf.Tensor4D;
        return tf.transpose(tf.conv2d(xt, dyt, 1, "valid"), [1, 2, 0, 3]);
      })
    ),
    ours(() =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x: x1, dy: y1 }, {
        strides: 1,
        pad: "valid",
        dataFormat: "NHWC",
        filterShape: [3, 3, 1, 32],
      }) as tf.Tensor
    ),
  ],
  [
    "Conv2DBackpropInput 3x3x32x64 on 13x13",
    theirs("Conv2DBackpropInput", { dy: dy2, filter: w2 }, input),
    ours(() =>
      tf.engine().runKernel("Conv2DBackpropInput", { dy: dy2, filter: w2 }, input) as tf.Tensor
    ),
  ],
  ["Identity of [64,26,26,32]", theirs("Identity", { x: y1 }, {}), ours(() => tf.clone(y1))],
  [
    "BatchMatMul x^T dy, 1600x64 by 64x128",
    theirs("BatchMatMul", { a, b: g }, { transposeA: true, transposeB: false }),
    ours(() => tf.matMul(a, g, true, false)),
  ],
];

for (const [name, base, mine] of cases) {
  Deno.bench({ name: `tfjs wasm: ${name}`, group: name, baseline: true, fn: base });
  Deno.bench({ name: `sparsegrain: ${name}`, group: name, fn: mine });
}

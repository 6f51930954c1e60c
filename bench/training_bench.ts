// Training and inference throughput of the small CNN of ../shared/bench/torch_train.py (the
// zoo's "small-cnn") on real Fashion-MNIST batches, tfjs wasm backend with sparsegrain's training
// kernels; convnet training too. One iteration = one step at batch 64, or one inference batch of
// 256: images/s = batch / time. The PyTorch comparison in one run is bench/peer/compare_training.ts.
//   deno bench -A bench/training_bench.ts
//   SPARSEGRAIN_WASM_THREADS=2 deno bench -A bench/training_bench.ts   # threaded-SIMD build
import * as tf from "@tensorflow/tfjs";
import {
  createOptimizer,
  FASHION_MNIST_DEFAULT_DIR,
  imageBatches,
  type ImageSet,
  loadFashionMnist,
  type Parameter,
  setupWasmBackend,
  wasmBackendThreads,
} from "@sparsegrain/models";
import { convnet, smallCnn } from "@sparsegrain/models";

await setupWasmBackend(); // SPARSEGRAIN_WASM_THREADS picks the thread count
const threads = wasmBackendThreads();
const data = await loadFashionMnist({
  dir: Deno.env.get("SPARSEGRAIN_DATA") ?? FASHION_MNIST_DEFAULT_DIR,
});

/** The first `n` batches of a set, as tensors kept for the whole run. */
function batches(set: ImageSet, size: number, n: number): { x: tf.Tensor4D; y: tf.Tensor2D }[] {
  const out: { x: tf.Tensor4D; y: tf.Tensor2D }[] = [];
  for (
    const b of imageBatches(set, { batchSize: size, shuffle: true, seed: 1, dropRemainder: true })
  ) {
    if (out.length === n) break;
    out.push(tf.tidy(() => ({
      x: tf.tensor4d(b.images, [b.size, 28, 28, 1]),
      y: tf.oneHot(tf.tensor1d(b.labels, "int32"), 10) as tf.Tensor2D,
    })));
  }
  return out;
}

function trainer(model: tf.LayersModel) {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const params: Parameter[] = vars.map((variable) => ({ variable }));
  const optimizer = createOptimizer({ name: "adam" });
  const train = batches(data.train, 64, 20);
  let i = 0;
  return () => {
    const { x, y } = train[i++ % train.length];
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            y,
            model.apply(x, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        vars,
      );
      optimizer.step(params, vars.map((v) => grads[v.name]), 1e-3);
      value.dataSync();
    });
  };
}

const small = smallCnn({ seed: 1 });
const big = convnet({ seed: 1 });
const stepSmall = trainer(small);
const stepBig = trainer(big);
const test = batches(data.test, 256, 8);
let j = 0;

Deno.bench({
  name: `small-cnn train step, batch 64 (wasm, ${threads} thread${threads > 1 ? "s" : ""})`,
  group: "train",
  baseline: true,
  warmup: 5,
  fn: stepSmall,
});

Deno.bench({
  name: `convnet train step, batch 64 (wasm, ${threads} thread${threads > 1 ? "s" : ""})`,
  group: "train",
  warmup: 3,
  fn: stepBig,
});

Deno.bench({
  name: `small-cnn inference, batch 256 (wasm, ${threads} thread${threads > 1 ? "s" : ""})`,
  group: "inference",
  baseline: true,
  warmup: 5,
  fn: () => {
    const { x } = test[j++ % test.length];
    tf.tidy(() => (small.predict(x) as tf.Tensor).dataSync());
  },
});

Deno.bench({
  name: `convnet inference, batch 256 (wasm, ${threads} thread${threads > 1 ? "s" : ""})`,
  group: "inference",
  warmup: 3,
  fn: () => {
    const { x } = test[j++ % test.length];
    tf.tidy(() => (big.predict(x) as tf.Tensor).dataSync());
  },
});

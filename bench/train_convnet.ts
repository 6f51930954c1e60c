// Trains the zoo's convnet on full Fashion-MNIST with the default budget (DEFAULT_TRAINING) and
// prints test top-1/top-5 after every epoch, the total time and a final JSON line.
//   deno run -A bench/train_convnet.ts [--epochs N] [--threads 1] [--model convnet] [--save DIR]
import { parseArgs } from "node:util";
import {
  createModel,
  DEFAULT_TRAINING,
  evaluateModel,
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  setupWasmBackend,
  trainModel,
  wasmBackendThreads,
} from "@sparsegrain/models";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    epochs: { type: "string" },
    threads: { type: "string", default: "1" },
    model: { type: "string", default: "convnet" },
    seed: { type: "string", default: "0" },
    lr: { type: "string" },
    data: { type: "string" },
  },
});

await setupWasmBackend({ threads: Number(flags.threads) });
const data = await loadFashionMnist({
  dir: flags.data ?? Deno.env.get("SPARSEGRAIN_DATA") ?? FASHION_MNIST_DEFAULT_DIR,
});
const normalization = data.normalization;
const seed = Number(flags.seed);
const model = createModel(flags.model!, { seed });
const options = {
  ...DEFAULT_TRAINING,
  epochs: flags.epochs === undefined ? DEFAULT_TRAINING.epochs : Number(flags.epochs),
  learningRate: flags.lr === undefined ? DEFAULT_TRAINING.learningRate : Number(flags.lr),
  seed,
};
const load = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
console.log(
  `${flags.model}: ${
    JSON.stringify(options)
  }, wasm threads ${wasmBackendThreads()}, load ${load()}`,
);
const result = await trainModel(model, data.train, {
  ...options,
  normalization,
  validation: data.test,
  progress: (e) => {
    if (e.kind === "epoch") {
      console.log(
        `epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)}, train acc ${
          e.accuracy.toFixed(4)
        }, ` +
          `test top-1 ${e.validation!.top1.toFixed(4)} top-5 ${e.validation!.top5.toFixed(4)}, ` +
          `${e.imagesPerSecond.toFixed(0)} img/s, ${
            e.elapsedSeconds.toFixed(0)
          } s elapsed, load ${load()}`,
      );
    }
  },
});
const final = evaluateModel(model, data.test, { normalization });
console.log(
  `final: test top-1 ${final.top1.toFixed(4)}, top-5 ${
    final.top5.toFixed(4)
  } after ${options.epochs} epochs in ${(result.seconds / 60).toFixed(1)} min`,
);
console.log(
  "JSON " +
    JSON.stringify({
      model: flags.model,
      options,
      threads: wasmBackendThreads(),
      seconds: result.seconds,
      top1: final.top1,
      top5: final.top5,
      history: result.history,
    }),
);
model.dispose();

// Training and inference speed of sparsegrain (tfjs wasm + training kernels) against PyTorch on
// the same small CNN, same data, same optimiser, measured in one run and alternated so that both
// sides see the same machine load. Prints a markdown table of medians and ratios (the source of
// the "Training and inference" section of docs/benchmarks.md) and a JSON line.
//
//   deno run -A bench/peer/compare_training.ts [--reps 3] [--threads 1] [--variants reference,openblas]
//
// Ours: smallCnn (conv3x3 1->32, pool, conv3x3 32->64, pool, dense 1600->128, dense 128->10),
// one epoch over the 60,000 training images at batch 64 with Adam 1e-3 (img/s over the epoch,
// batch assembly included), then the 10,000 test images at batch 256 (one warm-up pass, median
// of three timed passes). PyTorch: ../shared/bench/torch_train.py --epochs 1 through
// bench/peer/run_torch.sh, which measures the same things.
import { parseArgs } from "node:util";
import {
  evaluateModel,
  FASHION_MNIST_DEFAULT_DIR,
  loadFashionMnist,
  setupWasmBackend,
  smallCnn,
  trainModel,
  wasmBackendThreads,
} from "@sparsegrain/models";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    reps: { type: "string", default: "3" },
    threads: { type: "string", default: "1" },
    variants: { type: "string", default: "reference,openblas" },
    data: { type: "string" },
  },
});
const reps = Number(flags.reps);
const variants = flags.variants!.split(",").filter((v) => v !== "");
const here = new URL(".", import.meta.url).pathname;

function load(): string {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

await setupWasmBackend({ threads: Number(flags.threads) });
const data = await loadFashionMnist({
  dir: flags.data ?? Deno.env.get("SPARSEGRAIN_DATA") ?? FASHION_MNIST_DEFAULT_DIR,
});

interface Run {
  train: number;
  infer: number;
  acc: number;
}

async function ours(seed: number): Promise<Run> {
  const model = smallCnn({ seed });
  try {
    const result = await trainModel(model, data.train, {
      epochs: 1,
      batchSize: 64,
      optimizer: { name: "adam" },
      learningRate: 1e-3,
      seed,
    });
    evaluateModel(model, data.test, { batchSize: 256 }); // warm-up
    const times: number[] = [];
    let acc = 0;
    for (let i = 0; i < 3; i++) {
      const e = evaluateModel(model, data.test, { batchSize: 256 });
      times.push(e.seconds);
      acc = e.top1;
    }
    return {
      train: result.history[0].imagesPerSecond,
      infer: data.test.count / median(times),
      acc,
    };
  } finally {
    model.dispose();
  }
}

async function torch(variant: string): Promise<Run | undefined> {
  const out = await new Deno.Command(`${here}run_torch.sh`, {
    args: [variant, "--epochs", "1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const line = new TextDecoder().decode(out.stdout).split("\n").find((l) =>
    l.startsWith("RESULT ")
  );
  if (!out.success || line === undefined) {
    console.error(
      `torch ${variant} failed: ${new TextDecoder().decode(out.stderr).trim().split("\n").pop()}`,
    );
    return undefined;
  }
  const r = JSON.parse(line.slice(7));
  return { train: r.train_img_per_s_epoch1, infer: r.infer_img_per_s, acc: r.test_acc.epoch1 };
}

const loads = [load()];
const mine: Run[] = [];
const peers: Record<string, Run[]> = Object.fromEntries(variants.map((v) => [v, []]));
for (let rep = 0; rep < reps; rep++) {
  mine.push(await ours(rep));
  console.error(
    `rep ${rep + 1}: sparsegrain ${mine.at(-1)!.train.toFixed(0)} img/s train, ${
      mine.at(-1)!.infer.toFixed(0)
    } img/s inference (load ${load()})`,
  );
  for (const v of variants) {
    const r = await torch(v);
    if (r !== undefined) {
      peers[v].push(r);
      console.error(
        `rep ${rep + 1}: torch ${v} ${r.train.toFixed(0)} img/s train, ${
          r.infer.toFixed(0)
        } img/s inference (load ${load()})`,
      );
    }
  }
}
loads.push(load());

const med = (rs: Run[], k: keyof Run) => median(rs.map((r) => r[k]));
const cols = variants.filter((v) => peers[v].length > 0);
const head = [
  "",
  `sparsegrain (wasm, ${wasmBackendThreads()} thread${wasmBackendThreads() > 1 ? "s" : ""})`,
  ...cols.flatMap((v) => [`PyTorch ${v} BLAS`, "ratio"]),
];
const row = (label: string, k: keyof Run, fmt: (x: number) => string) => [
  label,
  fmt(med(mine, k)),
  ...cols.flatMap((v) => [fmt(med(peers[v], k)), (med(mine, k) / med(peers[v], k)).toFixed(2)]),
];
const rows = [
  row("training, img/s (batch 64, epoch 1)", "train", (x) => x.toFixed(0)),
  row("inference, img/s (batch 256, 10k test)", "infer", (x) => x.toFixed(0)),
  row("test top-1 after 1 epoch", "acc", (x) => x.toFixed(3)),
];
console.log(
  `Medians of ${reps} alternating runs; load average ${loads[0]} before, ${loads[1]} after.\n`,
);
console.log(`| ${head.join(" | ")} |`);
console.log(`| ${head.map(() => "---").join(" | ")} |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
console.log(
  "\nJSON " +
    JSON.stringify({ reps, threads: wasmBackendThreads(), loads, sparsegrain: mine, torch: peers }),
);

// Measures sparsegrain and its PyTorch peer in one run and prints the ratios as markdown tables
// (docs/benchmarks.md): mask computation on VGG-16 (torch_prune.py), peak memory of a VGG-16
// pass, then training and inference (bench/peer/compare_training.ts, one repetition). PyTorch comes from Debian's python3-torch, run by /usr/bin/python3;
// without it only our side is measured, and the table says so.
//   deno task bench:peer

interface BenchJson {
  benches: { name: string; results: { ok?: { avg: number; min: number } }[] }[];
}

const here = new URL(".", import.meta.url).pathname;

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "inherit" }).output();
  return { ok: out.success, stdout: new TextDecoder().decode(out.stdout) };
}

async function ours(file: string): Promise<Map<string, number>> {
  const { stdout } = await run(Deno.execPath(), ["bench", "-A", "--json", `${here}${file}`]);
  const json = JSON.parse(stdout) as BenchJson;
  return new Map(json.benches.map((b) => [b.name, (b.results[0].ok?.avg ?? NaN) / 1e9]));
}

async function torch(script: string, args: string[]): Promise<Record<string, unknown> | undefined> {
  const probe = await run("/usr/bin/python3", ["-c", "import torch"]).catch(() => ({
    ok: false,
    stdout: "",
  }));
  if (!probe.ok) return undefined;
  const { stdout } = await run("/usr/bin/python3", [`${here}peer/${script}`, ...args]);
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  return line ? JSON.parse(line.slice(7)) : undefined;
}

const rows: string[] = [];
const row = (
  what: string,
  mine: number,
  peer: number | undefined,
  unit: string,
  higherIsBetter: boolean,
) => {
  const ratio = peer === undefined
    ? "peer not measured"
    : higherIsBetter
    ? (mine / peer).toFixed(2)
    : (peer / mine).toFixed(2);
  rows.push(
    `| ${what} | ${mine.toFixed(3)} ${unit} | ${
      peer === undefined ? "-" : `${peer.toFixed(3)} ${unit}`
    } | ${ratio} |`,
  );
};

const pruning = await ours("pruning_bench.ts");
const peerPrune = await torch("torch_prune.py", ["--reps", "3", "--skip-bw"]) as
  | { prune: Record<string, { s_median: number }> }
  | undefined;
const p = (key: string) => peerPrune?.prune[key]?.s_median;
row(
  "0-D L1 per layer 10%, 16 layers (torch l1_unstructured)",
  pruning.get("0-D L1 per layer to 10%, all 16 layers")!,
  p("b_l1_unstructured_90_per_layer_all16"),
  "s",
  false,
);
row(
  "0-D L1 global 10%, 16 layers (torch global_unstructured)",
  pruning.get("0-D L1 global to 10%, all 16 layers")!,
  p("a_global_l1_unstructured_90_all16"),
  "s",
  false,
);
row(
  "1-D rows L1 20%, 13 conv (torch hand-written)",
  pruning.get("1-D kernel rows L1 per layer to 20%, 13 conv layers")!,
  p("e_vector1d_l1_80_per_layer_conv13"),
  "s",
  false,
);
row(
  "2-D kernels L1 20%, 13 conv (torch hand-written)",
  pruning.get("2-D kernels L1 per layer to 20%, 13 conv layers")!,
  p("d_kernel2d_l1_80_per_layer_conv13"),
  "s",
  false,
);
row(
  "3-D filters L1 50%, 16 layers (torch hand-written)",
  pruning.get("3-D filters L1 per layer to 50%, all 16 layers")!,
  p("g_hand_filter3d_l1_50_per_layer_all16"),
  "s",
  false,
);

const memory = JSON.parse(
  (await run(Deno.execPath(), ["run", "-A", `${here}vgg16_memory.ts`])).stdout,
);

console.log(
  `Machine: ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, ${
    new Date().toISOString()
  }`,
);
console.log(
  peerPrune
    ? `Peer: PyTorch ${(peerPrune as unknown as { torch: string }).torch}, 2 threads`
    : "Peer: PyTorch not found (apt-get install -y python3-torch), only sparsegrain measured",
);
console.log("\n| operation | sparsegrain | PyTorch | speed-up |\n|---|---|---|---|");
console.log(rows.join("\n"));
console.log(
  `\nWhole VGG-16 pass (4 granularities, masks + relative-index encoding): ${memory.seconds} s, peak RSS ${memory.peakMB} MB`,
);

if (peerPrune === undefined) {
  console.log("\nTraining peer skipped: PyTorch not found (apt-get install -y python3-torch)");
} else {
  console.log("\nTraining and inference (bench/peer/compare_training.ts --reps 1):");
  const training = await run(Deno.execPath(), [
    "run",
    "-A",
    `${here}peer/compare_training.ts`,
    "--reps",
    "1",
  ]);
  console.log(training.stdout);
}

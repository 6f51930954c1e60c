import assert from "node:assert/strict";
import type { LayerRecord, PluginRecord, ResultLine } from "../results/schema.ts";
import type { StudyRecord } from "../results/store.ts";
import { sweepSchema } from "../config/schema.ts";
import { findingsMarkdown, seedStats } from "./findings.ts";
import { duration, fixed } from "./_findings_format.ts";

/** Grains of the 900-weight pruned layer (3x3 kernels, 10 input and 10 output channels). */
const GRAINS: Record<string, number> = { "0d": 900, "1d": 300, "2d": 100, "3d": 10 };

interface PointSpec {
  granularity: string;
  /** Plugin name of the granularity; default: the label. */
  plugin?: string;
  density: number | string;
  seed?: number;
  half?: "accuracy" | "weight-free";
  model?: string;
  /** Top-1 and baseline in [0, 1]; quantised ones default to the float ones. */
  top1?: number;
  top1q?: number;
  base?: number;
  baseq?: number;
  /** Bits per kept weight of the pruned layer. */
  bitsPerKept?: number;
  /** Memory references of the pruned layer under each accelerator label. */
  refs?: Record<string, number>;
  /** Accelerator label -> plugin name; default `{ scnn: "scnn", dense: "dense" }`. */
  accelerators?: Record<string, string>;
  timings?: Record<string, number>;
  index?: number;
}

function storage(bits: number, kept: number, elements: number) {
  return {
    ri: {
      bits,
      value: 8 * kept,
      index: bits - 8 * kept,
      filler: 0,
      header: 0,
      padding: 0,
      fillers: 0,
      bitsPerKept: kept > 0 ? bits / kept : 0,
      compression: (32 * elements) / bits,
    },
  };
}

function cost(references: number) {
  return {
    macs: 1000,
    products: 500,
    cycles: references / 10,
    utilisation: 0.5,
    references: { weight: references },
    referencesTotal: references,
    dramBytes: 0,
    energy: { weight: references * 5 },
    totalEnergy: references * 5,
  };
}

function layer(
  name: string,
  elements: number,
  kept: number,
  grains: number,
  pruned: boolean,
  bits: number,
  refs: Record<string, number>,
): LayerRecord {
  return {
    name,
    kind: "conv2d",
    shape: [3, 3, 10, 10],
    elements,
    kept,
    density: kept / elements,
    pruned,
    grains,
    keptGrains: grains,
    zeros: {},
    activationDensity: 1,
    storage: storage(bits, kept, elements),
    cost: Object.fromEntries(Object.entries(refs).map(([a, r]) => [a, cost(r)])),
  };
}

/**
 * A hand-made point: one pruned 900-weight layer `conv` at the target density and one dense
 * 100-weight layer `fc` that a sweep left out (`pruned: false`).
 */
function point(spec: PointSpec): ResultLine {
  const half = spec.half ?? "accuracy";
  const model = spec.model ?? "m";
  const label = String(spec.density);
  const target = typeof spec.density === "number" ? spec.density : 0.25;
  const seed = spec.seed ?? 0;
  const kept = Math.round(900 * target);
  const accelerators = spec.accelerators ?? { scnn: "scnn", dense: "dense" };
  const refs = spec.refs ?? Object.fromEntries(Object.keys(accelerators).map((a) => [a, 1000]));
  const conv = layer(
    "conv",
    900,
    kept,
    GRAINS[spec.plugin ?? spec.granularity] ?? 900,
    true,
    Math.round(kept * (spec.bitsPerKept ?? 12)),
    refs,
  );
  const fc = layer("fc", 100, 100, 100, false, 800, mapValues(refs, () => 50));
  const plugins: PluginRecord[] = [
    { kind: "granularity", name: spec.plugin ?? spec.granularity, label: spec.granularity },
    { kind: "encoder", name: "relative-index", label: "ri" },
    ...Object.entries(accelerators).map(([l, name]) => ({ kind: "accelerator", name, label: l })),
  ].map((p) => ({ ...p, version: "1.0.0", source: "builtin" }));
  const top1 = spec.top1 ?? 0.9;
  const base = spec.base ?? 0.9;
  return {
    schema: "sparsegrain.results/1",
    configHash: "abc123",
    study: "unit",
    point: `${half === "accuracy" ? "acc" : "wf"}/${model}/${spec.granularity}/${label}/s${seed}`,
    index: spec.index ?? 0,
    half,
    model,
    granularity: spec.granularity,
    saliency: "l1",
    densityLabel: label,
    targetDensity: target,
    seed,
    plugins,
    timings: { startedAt: "2026-01-01T00:00:00.000Z", totalMs: 1000, ...spec.timings },
    metrics: {
      params: 1000,
      kept: kept + 100,
      density: (kept + 100) / 1000,
      sparsity: 1 - (kept + 100) / 1000,
      macs: 2000,
      ...(half === "accuracy"
        ? {
          accuracy: {
            top1,
            top1Quantized: spec.top1q ?? top1,
            quantizationBits: 8,
            baselineTop1: base,
            baselineTop1Quantized: spec.baseq ?? base,
            testImages: 1000,
          },
        }
        : {}),
      storage: storage(conv.storage.ri.bits + 800, kept + 100, 1000),
      cost: mapValues(refs, (r) => cost(r + 50)),
      activation: "measured",
      weights: half === "accuracy" ? "trained on unit data" : "seeded He-normal",
    },
    layers: [conv, fc],
  };
}

function mapValues<T, U>(record: Record<string, T>, f: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}

/** Gives points their study-order index, as a sweep does. */
function indexed(lines: ResultLine[]): ResultLine[] {
  return lines.map((l, index) => ({ ...l, index }));
}

const OPTIONS = { drops: [0.5, 1] };

/**
 * An accuracy study at densities 0.5 and 0.25 with the given top-1 per granularity; a key
 * `label=plugin` gives a granularity a label other than its plugin name.
 */
function accuracyStudy(top1: Record<string, [number, number]>): ResultLine[] {
  return indexed(
    Object.entries(top1).flatMap(([key, [a, b]]) => {
      const [granularity, plugin] = key.split("=");
      return [
        point({ granularity, plugin, density: 0.5, top1: a }),
        point({ granularity, plugin, density: 0.25, top1: b }),
      ];
    }),
  );
}

function section(md: string, heading: string): string {
  const start = md.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}"`);
  const next = md.indexOf("\n#", start + heading.length);
  return md.slice(start, next < 0 ? undefined : next);
}

Deno.test("seedStats() gives mean, sample sd, min and max over seeds", () => {
  const s = seedStats([0.8, 0.82, 0.86]);
  assert.equal(s.n, 3);
  assert.ok(Math.abs(s.mean - 0.8266666) < 1e-6);
  assert.ok(Math.abs(s.sd - 0.0305505) < 1e-6, String(s.sd));
  assert.deepEqual([s.min, s.max], [0.8, 0.86]);
  assert.deepEqual(seedStats([5]), { n: 1, mean: 5, sd: 0, min: 5, max: 5 });
  assert.ok(Number.isNaN(seedStats([]).mean));
});

Deno.test("fixed() and duration() print the same text in every locale", () => {
  assert.equal(fixed(1234567.891, 2), "1,234,567.89");
  assert.equal(fixed(-0.001, 2), "0.00");
  assert.equal(fixed(-1234.5, 0), "-1,235");
  assert.equal(fixed(NaN, 2), "—");
  assert.equal(fixed(undefined, 2), "—");
  assert.equal(duration(12_345), "12.3 s");
  assert.equal(duration(245_000), "4 min 05 s");
  assert.equal(duration(3_723_000), "1 h 02 min 03 s");
});

Deno.test("findingsMarkdown() aggregates over seeds and over the pruned layers only", () => {
  const lines = indexed([0, 1].flatMap((seed) => [
    point({ granularity: "0d", density: 0.5, seed, top1: seed ? 0.82 : 0.8, base: 0.85 }),
    point({ granularity: "1d", density: 0.5, seed, top1: 0.8, base: 0.85 }),
  ]));
  const md = findingsMarkdown(lines, undefined, OPTIONS);
  // Mean 81, sample sd sqrt(2) = 1.41, range [80, 82], change vs the same seed's baseline -4.
  assert.match(
    md,
    /\| 0\.5 \| 50\.00 \| 55\.00 \| 81\.00 ± 1\.41 \[80\.00, 82\.00\]; -4\.00 pp \|/,
  );
  assert.match(md, /80\.00 ± 0\.00 \[80\.00, 80\.00\]; -5\.00 pp \|/);
  assert.match(md, /Dense baseline \(2 seeds\): top-1 85\.00 ± 0\.00 \[85\.00, 85\.00\]%/);
  assert.match(md, /Pruned layers: conv \(900 of 1,000 weights, 90\.00%\); left dense: fc\./);
  // Storage of the pruned layer only: 450 kept x 12 bits = 5,400 bits = 0.66 KiB.
  assert.match(
    section(md, "#### Q3."),
    /\| 0\.5 \| 0d \| 50\.00 \| 12\.00 \| 0\.66 \| 1\.000 \| 1\.000 \|/,
  );
  assert.match(md, /config hash `abc123`\), seeds 0 and 1;/);
});

Deno.test("findingsMarkdown() judges the accuracy claims in both directions", async (t) => {
  await t.step("coarse within the bound agrees, filter far below agrees", () => {
    const md = findingsMarkdown(
      accuracyStudy({
        "0d": [0.897, 0.895],
        "vec=1d": [0.895, 0.893],
        "2d": [0.894, 0.891],
        "3d": [0.8, 0.7],
      }),
      undefined,
      OPTIONS,
    );
    // "vec" is plugin 1d under another label: claims follow the plugin, tables the label.
    const q1 = section(md, "#### Q1.");
    assert.match(
      q1,
      /\*\*This run agrees:\*\* Where 0d stays within 1\.00 pp of the dense baseline, at density 0\.5 \(0d 0\.30 pp below the baseline\): vec 0\.20 pp below 0d \(bound 0\.50 pp\) and 2d 0\.30 pp below 0d/,
    );
    assert.match(md, /- \*\*Q1, m, vector and kernel\*\* — agrees:/);
    assert.match(md, /- \*\*Q1, m, filter\*\* — agrees: .*3d 9\.70 pp below 0d/);
    assert.match(q1, /As in the paper/);
  });
  await t.step("coarse beyond the bound differs, filter close to fine differs", () => {
    const md = findingsMarkdown(
      accuracyStudy({ "0d": [0.895, 0.892], "1d": [0.86, 0.85], "3d": [0.894, 0.889] }),
      undefined,
      OPTIONS,
    );
    assert.match(md, /- \*\*Q1, m, vector and kernel\*\* — differs: .*1d 3\.50 pp below 0d/);
    assert.match(md, /- \*\*Q1, m, filter\*\* — differs: .*3d 0\.10 pp below 0d/);
    assert.match(md, /Likely reasons, which this run does not separate/);
  });
  await t.step("only densities where fine pruning keeps accuracy count", () => {
    // 0d loses 5 pp at 0.25, so 1d's 8 pp gap there is not held against the claim.
    const md = findingsMarkdown(
      accuracyStudy({ "0d": [0.899, 0.85], "1d": [0.898, 0.77] }),
      undefined,
      OPTIONS,
    );
    assert.match(md, /- \*\*Q1, m, vector and kernel\*\* — agrees:/);
    assert.doesNotMatch(section(md, "## Where"), /at density 0\.25/);
  });
  await t.step("a wide seed spread widens the bound", () => {
    const lines = indexed([0, 1].flatMap((seed) => [
      point({ granularity: "0d", density: 0.5, seed, top1: seed ? 0.9 : 0.88, base: 0.895 }),
      point({ granularity: "1d", density: 0.5, seed, top1: seed ? 0.885 : 0.87, base: 0.895 }),
    ]));
    // Gap 1.25 pp; pooled sd of {88, 90} and {87, 88.5} is sqrt((2 + 1.125) / 2) = 1.25 pp.
    const md = findingsMarkdown(lines, undefined, OPTIONS);
    assert.match(md, /1d 1\.25 pp below 0d \(bound 2\.50 pp\)/);
    assert.match(md, /- \*\*Q1, m, vector and kernel\*\* — agrees:/);
  });
  await t.step("a granularity no claim names is shown, not judged", () => {
    const md = findingsMarkdown(
      accuracyStudy({ "0d": [0.899, 0.89], "pattern=pattern": [0.88, 0.87] }),
      undefined,
      OPTIONS,
    );
    assert.match(
      md,
      /\| target density \| pruned layers % \| whole network % \| 0d top-1 % \| pattern top-1 % \|/,
    );
    assert.match(
      md,
      /Granularities the paper's claims do not name, for the record: at density 0\.5: pattern 1\.90 pp below 0d; at density 0\.25: pattern 2\.00 pp below 0d\./,
    );
    assert.match(md, /vector and kernel\*\* — untested: the study has no vector \(1d\) or kernel/);
    assert.match(md, /filter\*\* — untested: the study has no filter \(3d\) granularity/);
  });
  await t.step("no density where fine pruning keeps accuracy leaves the claim untested", () => {
    const md = findingsMarkdown(
      accuracyStudy({ "0d": [0.8, 0.7], "1d": [0.8, 0.7] }),
      undefined,
      OPTIONS,
    );
    assert.match(md, /vector and kernel\*\* — untested: 0d loses more than 1\.00 pp at every/);
  });
});

Deno.test("findingsMarkdown() judges storage at equal accuracy in both directions", async (t) => {
  await t.step("coarse stores fewer bits within the drop: agrees", () => {
    const lines = indexed([
      point({ granularity: "0d", density: 0.5, top1: 0.9, bitsPerKept: 12 }),
      point({ granularity: "0d", density: 0.25, top1: 0.85, bitsPerKept: 12 }),
      point({ granularity: "2d", density: 0.5, top1: 0.9, bitsPerKept: 8.5 }),
      point({ granularity: "2d", density: 0.25, top1: 0.85, bitsPerKept: 8.5 }),
    ]);
    const md = findingsMarkdown(lines, undefined, OPTIONS);
    // Within 1 pp both stop at 0.5: 0d 450 x 12 bits, 2d 450 x 8.5 bits.
    assert.match(md, /\| 1\.00 \| 2d \| 50\.00 \| 0\.5 \| 0\.47 \| 0\.5 \| 8\.50 \| 0\.708 \|/);
    assert.match(md, /- \*\*Q2, m\*\* — agrees: .*within 1\.00 pp: 0d 0\.66 KiB at density 0\.5/);
    assert.match(md, /- \*\*Q3, m\*\* — agrees:/);
  });
  await t.step("coarse loses accuracy sooner and never qualifies: differs", () => {
    const lines = indexed([
      point({ granularity: "0d", density: 0.5, top1: 0.9, bitsPerKept: 12 }),
      point({ granularity: "1d", density: 0.5, top1: 0.85, bitsPerKept: 9 }),
    ]);
    const md = findingsMarkdown(lines, undefined, OPTIONS);
    assert.match(
      md,
      /- \*\*Q2, m\*\* — differs: .*0d 0\.66 KiB at density 0\.5 .*1d at no density/,
    );
    assert.match(md, /they stop at a higher density or never qualify/);
  });
  await t.step("one coarse granularity keeps up, another stops earlier: partly agrees", () => {
    const lines = indexed([
      point({ granularity: "0d", density: 0.5, top1: 0.9, bitsPerKept: 12 }),
      point({ granularity: "1d", density: 0.5, top1: 0.9, bitsPerKept: 9 }),
      point({ granularity: "2d", density: 0.5, top1: 0.85, bitsPerKept: 8.5 }),
    ]);
    const md = findingsMarkdown(lines, undefined, OPTIONS);
    assert.match(md, /- \*\*Q2, m\*\* — partly agrees: /);
    assert.match(md, /its one index per grain makes it the smaller model/);
  });
});

Deno.test("findingsMarkdown() judges SCNN reference savings against both figures", async (t) => {
  const study = (ratio: number, accelerators?: Record<string, string>) => {
    const refs = (g: string) =>
      Object.fromEntries(
        Object.keys(accelerators ?? { scnn: "", dense: "" }).map((a) => [
          a,
          a === "dense" ? 2000 : g === "0d" ? 1000 : 1000 * ratio,
        ]),
      );
    return indexed(
      ["0d", "1d"].map((g) =>
        point({ granularity: g, density: 0.5, half: "weight-free", refs: refs(g), accelerators })
      ),
    );
  };
  await t.step("saving 33% agrees with the workshop version", () => {
    const md = findingsMarkdown(study(0.67), undefined, OPTIONS);
    assert.match(
      md,
      /- \*\*Q4, weight-free\*\* — agrees: on "scnn", 1d saves 33\.00% .*workshop band .*1d at 1 of 1; in the arXiv band .*1d at 0 of 1/,
    );
    // Weight-free tables: SCNN references and relative to fine, dense for comparison.
    assert.match(md, /\| m \| 0\.5 \| 1d \| 670 \| 0\.670 \| 2,000 \| 1\.000 \| 0\.335 \|/);
  });
  await t.step("half the references agrees with the arXiv version", () => {
    const md = findingsMarkdown(study(0.5), undefined, OPTIONS);
    assert.match(md, /Q4, weight-free\*\* — agrees: .*in the arXiv band .*1d at 1 of 1/);
  });
  await t.step("a small saving partly agrees, more references differ", () => {
    assert.match(
      findingsMarkdown(study(0.9), undefined, OPTIONS),
      /Q4, weight-free\*\* — partly agrees: on "scnn", 1d saves 10\.00%/,
    );
    assert.match(
      findingsMarkdown(study(1.1), undefined, OPTIONS),
      /Q4, weight-free\*\* — differs: on "scnn", 1d saves -10\.00%/,
    );
  });
  await t.step("without an scnn model the claim is skipped with a sentence", () => {
    const md = findingsMarkdown(
      study(0.5, { "eyeriss-like": "eyeriss", dense: "dense" }),
      undefined,
      OPTIONS,
    );
    assert.match(md, /Q4, weight-free\*\* — untested: no SCNN accelerator model/);
    assert.match(md, /\| eyeriss-like refs \| eyeriss-like \/ 0d \| dense refs \|/);
  });
});

Deno.test("findingsMarkdown() handles a missing half", async (t) => {
  const wf = indexed(
    ["0d", "2d"].map((g) => point({ granularity: g, density: 0.3, half: "weight-free" })),
  );
  const acc = accuracyStudy({ "0d": [0.9, 0.89], "2d": [0.9, 0.89] });
  await t.step("no accuracy lines", () => {
    const md = findingsMarkdown(wf, undefined, OPTIONS);
    assert.match(md, /No accuracy results in this folder/);
    assert.doesNotMatch(md, /#### Q1\./);
    assert.match(md, /## Weight-free half/);
    assert.match(md, /accuracy half: none; weight-free half: m;/);
  });
  await t.step("no weight-free lines", () => {
    const md = findingsMarkdown(acc, undefined, OPTIONS);
    assert.match(md, /No weight-free results in this folder/);
    assert.match(md, /#### Q1\./);
    assert.doesNotMatch(md, /Q4, weight-free/);
  });
  await t.step("no lines at all", () => {
    assert.match(findingsMarkdown([], undefined, OPTIONS), /No results yet/);
  });
});

Deno.test("findingsMarkdown() does not depend on line order; timings only change the Run section", () => {
  const lines = indexed([
    ...[0, 1, 2].flatMap((seed) =>
      ["0d", "1d", "2d", "3d"].flatMap((g, i) =>
        [0.5, 0.25].map((d) =>
          point({
            granularity: g,
            density: d,
            seed,
            top1: 0.9 - i * 0.01 - (0.5 - d) * 0.1 - seed * 0.003,
            bitsPerKept: 12 - i,
            refs: { scnn: 1000 - 100 * i, dense: 2000 },
            timings: { fineTuneMs: 2000 + seed, evaluateMs: 500 },
          })
        )
      )
    ),
    ...["0d", "2d"].flatMap((g) =>
      ["0.3", "han-map"].map((d) =>
        point({ granularity: g, density: d === "0.3" ? 0.3 : d, half: "weight-free", model: "vgg" })
      )
    ),
  ]);
  const md = findingsMarkdown(lines, undefined, OPTIONS);
  let state = 7;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (let trial = 0; trial < 5; trial++) {
    const shuffled = lines.map((l) => [random(), l] as const).sort((a, b) => a[0] - b[0]).map((
      x,
    ) => x[1]);
    assert.equal(findingsMarkdown(shuffled, undefined, OPTIONS), md);
  }
  const slower = lines.map((l) => ({ ...l, timings: { ...l.timings, totalMs: 9999 } }));
  const other = findingsMarkdown(slower, undefined, OPTIONS);
  const cut = (text: string) => text.slice(0, text.indexOf("## Run"));
  assert.notEqual(other, md);
  assert.equal(cut(other), cut(md));
  const run = section(md, "## Run");
  // 24 accuracy points: fine-tuning 3 x 8 x 2 s plus 8 x (0 + 1 + 2) ms, evaluation 24 x 0.5 s.
  assert.match(run, /\| fineTune \| 48\.0 s \| 0\.0 s \| 48\.0 s \|/);
  assert.match(run, /\| evaluate \| 12\.0 s \| 0\.0 s \| 12\.0 s \|/);
  assert.match(run, /\| total \| 24\.0 s \| 4\.0 s \| 28\.0 s \|/);
  assert.match(run, /28 result points: 24 accuracy, 4 weight-free/);
  // Uniform densities from dense to sparse, then density maps.
  const wf = section(md, "### Storage");
  assert.ok(wf.indexOf("| vgg | 0.3 |") < wf.indexOf("| vgg | han-map |"));
});

Deno.test("findingsMarkdown() names the command that reproduces the study", () => {
  const lines = accuracyStudy({ "0d": [0.9, 0.89] });
  const record = (quick: boolean, configFile: string): StudyRecord => ({
    schema: "sparsegrain.results/1",
    configHash: "abc123",
    name: "default",
    configFile,
    quick,
    config: { accuracy: { fineTune: { samples: 1024 } } },
    points: 2,
  });
  const full = findingsMarkdown(lines, record(false, "examples/sweeps/default.yaml"), OPTIONS);
  assert.match(
    full,
    /Reproduce: `deno task sweep` writes `runs\/default\/results\.md`, then `cp runs\/default\/results\.md docs\/results\.md`\./,
  );
  const quick = findingsMarkdown(lines, record(true, "/abs/path/my.yaml"), OPTIONS);
  assert.match(
    quick,
    /`deno task sweep --config my\.yaml --quick` writes `runs\/default-quick\/results\.md` \(this was a --quick run\), then `cp runs\/default-quick\/results\.md docs\/results-default\.md`\./,
  );
  assert.doesNotMatch(quick, /\/abs\/path/);
  assert.doesNotMatch(full, /Method:/, "a record without the recipe has no method paragraph");
  const parsed = sweepSchema.parse({
    seeds: [0, 1],
    accuracy: {
      models: [{ name: "m", training: { epochs: 2 } }],
      dataset: { trainSubset: 20000 },
      densities: [0.5, 0.3],
      schedule: { kind: "agp", steps: 2 },
      fineTune: { samples: 1024 },
    },
  });
  const method = findingsMarkdown(
    lines,
    { ...record(false, "examples/sweeps/default.yaml"), config: parsed },
    OPTIONS,
  );
  assert.match(
    method,
    /Method: the dense baseline of each seed trains 2 epochs on 20,000 training images \(adam, learning rate 0\.001, batch 64\); each granularity then prunes it with "l1" saliency \(layer scope\) down the densities 0\.5, 0\.3, each reached from the previous one in 2 AGP \(cubic\) steps, with 1,024 training images of fine-tuning \(Adam, learning rate 0\.0005\) after every step and the masks held\./,
  );
  assert.match(quick, /2 result points of the study's 2/);
});

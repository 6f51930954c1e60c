/**
 * The findings report, `results.md`: the study's four questions (PAPER.md) answered with a
 * results folder's data, aggregated over seeds, and set beside the paper's claims. The text is a
 * pure function of the result lines (sorted here, so the order of results.jsonl does not matter);
 * timings appear only in the closing "Run" section, so two runs of one config differ only there.
 *
 * @module
 */
import { basename, isAbsolute, normalize } from "node:path";
import type { SweepConfig } from "../config/schema.ts";
import type { ResultLine } from "../results/schema.ts";
import type { StudyRecord } from "../results/store.ts";
import { modelLabel } from "../study/points.ts";
import { modelKey, modelNames, type ReportOptions } from "./data.ts";
import {
  bitsPerKept,
  buildGrid,
  cell,
  density,
  type Grid,
  type Labels,
  mean,
  paired,
  type Point,
  ratioOf,
  studyLabels,
} from "./_findings_data.ts";
import { duration, fixed, listing, pct, ratio, table } from "./_findings_format.ts";
import {
  accuracyTables,
  baselineStats,
  otherGaps,
  prunedSentence,
  q1Verdicts,
  q2Section,
  q3Table,
  q3Verdict,
  q4Table,
  q4Verdict,
  renderVerdict,
  type Verdict,
} from "./_findings_questions.ts";

export { type SeedStats, seedStats } from "./_findings_data.ts";

/** The study's questions, worded as in PAPER.md. */
const QUESTIONS = {
  q1: "Q1. At equal sparsity, how does accuracy change from fine (0-D) to coarse (3-D) pruning?",
  q2:
    'Q2. At equal accuracy, which granularity stores the model in fewer bits (the "index saving effect")?',
  q3: "Q3. How do storage and memory references change with granularity?",
  q4: "Q4. What does each granularity mean for an SCNN-like accelerator against a dense one?",
} as const;

/** A part of the document and the verdicts it gave. */
interface Section {
  readonly markdown: string;
  readonly verdicts: readonly Verdict[];
}

/** The config `deno task sweep` runs. */
const DEFAULT_CONFIG = "examples/sweeps/default.yaml";

function accuracySection(
  lines: readonly ResultLine[],
  labels: Labels,
  study: StudyRecord | undefined,
  options: ReportOptions,
): Section {
  const acc = lines.filter((l) => l.metrics.accuracy);
  if (acc.length === 0) {
    return {
      markdown: [
        "## Accuracy half",
        "",
        "No accuracy results in this folder (the half was not configured, or was skipped because Fashion-MNIST was missing), so questions 1 and 2 are not answered here; the weight-free half below answers questions 3 and 4.",
        "",
      ].join("\n"),
      verdicts: [],
    };
  }
  const out: string[] = ["## Accuracy half: trained networks", ""];
  const verdicts: Verdict[] = [];
  for (const model of modelNames(acc)) {
    const grid = buildGrid(acc.filter((l) => modelKey(l) === model));
    const first = grid.lines[0];
    const bf = baselineStats(grid, false);
    const bq = baselineStats(grid, true);
    const bits = first.metrics.accuracy!.quantizationBits;
    const n = grid.seeds.length;
    const q1 = q1Verdicts(grid, labels, study);
    const q2 = q2Section(grid, labels, options);
    const q3 = q3Verdict([grid], labels, `Q3, ${model}`);
    const q4 = q4Verdict([grid], labels, `Q4, ${model}`);
    verdicts.push(...q1, q2.verdict, q3, q4);
    out.push(
      `### ${model}`,
      "",
      `Weights: ${first.metrics.weights}; top-1 on ${
        fixed(first.metrics.accuracy!.testImages, 0)
      } test images. ${prunedSentence(grid)}`,
      "",
      ...methodParagraph(study, model),
      `Dense baseline (${n} seed${n === 1 ? "" : "s"}): top-1 ${pct(bf.mean)}${
        n >= 2 ? ` ± ${pct(bf.sd)} [${pct(bf.min)}, ${pct(bf.max)}]` : ""
      }% with float32 weights, ${pct(bq.mean)}${
        n >= 2 ? ` ± ${pct(bq.sd)} [${pct(bq.min)}, ${pct(bq.max)}]` : ""
      }% with ${bits}-bit weights.`,
      "",
      `#### ${QUESTIONS.q1}`,
      "",
      accuracyTables(grid),
      ...q1.map(renderVerdict),
      ...(labels.fine !== undefined && grid.granularities.some((g) => labels.others.includes(g))
        ? [otherGaps(grid, labels), ""]
        : []),
      `#### ${QUESTIONS.q2}`,
      "",
      q2.markdown,
      renderVerdict(q2.verdict),
      `#### ${QUESTIONS.q3}`,
      "",
      q3Table(grid, labels),
      renderVerdict(q3),
      `#### ${QUESTIONS.q4}`,
      "",
      q4Table(grid, labels),
      renderVerdict(q4),
    );
  }
  return { markdown: out.join("\n"), verdicts };
}

/** The recipe the study config records for a model: baseline budget, schedule, fine-tuning. */
function methodParagraph(study: StudyRecord | undefined, model: string): string[] {
  // Records of older or hand-made studies may lack fields: then the paragraph is left out.
  const config = study?.config as SweepConfig | undefined;
  const acc = config?.accuracy;
  const m = acc?.models?.find((x) => modelLabel(x) === model);
  if (!config || !acc?.schedule || !acc.fineTune || !acc.densities || !m?.training) return [];
  const t = m.training;
  const train = acc.dataset.trainSubset ?? 60000;
  const schedule = acc.schedule.kind === "agp"
    ? `${acc.schedule.steps} AGP (cubic) step${acc.schedule.steps === 1 ? "" : "s"}`
    : acc.schedule.kind === "one-shot"
    ? "one step"
    : `the intermediate densities ${acc.schedule.densities.join(", ")}`;
  const ft = acc.fineTune;
  return [
    `Method: the dense baseline of each seed trains ${t.epochs} epoch${
      t.epochs === 1 ? "" : "s"
    } on ${
      fixed(train, 0)
    } training images (${t.optimizer}, learning rate ${t.learningRate}, batch ${t.batchSize}); each granularity then prunes it with "${
      typeof config.saliency === "string" ? config.saliency : config.saliency.name
    }" saliency (${config.scope} scope) down the densities ${
      acc.densities.join(", ")
    }, each reached from the previous one in ${schedule}, with ${
      ft.samples > 0
        ? `${
          fixed(ft.samples, 0)
        } training images of fine-tuning (Adam, learning rate ${ft.learningRate}) after every step`
        : "no fine-tuning"
    } and the masks held.`,
    "",
  ];
}

// ---------------------------------------------------------------------------------------------
// Weight-free half

function weightFreeSection(lines: readonly ResultLine[], labels: Labels): Section {
  const wf = lines.filter((l) => l.half === "weight-free");
  if (wf.length === 0) {
    return {
      markdown: [
        "## Weight-free half",
        "",
        "No weight-free results in this folder (the half was not configured), so the five-model tables are missing.",
        "",
      ].join("\n"),
      verdicts: [],
    };
  }
  const grids = modelNames(wf).map((m) => buildGrid(wf.filter((l) => modelKey(l) === m)));
  const { fine, primary } = labels;
  const rowsOf = (f: (grid: Grid, d: string, g: string, pts: readonly Point[]) => string[]) =>
    grids.flatMap((grid) =>
      grid.densities.flatMap((d) =>
        grid.granularities.flatMap((g) => {
          const pts = cell(grid, d, g);
          return pts.length === 0 ? [] : [[grid.model, d, g, ...f(grid, d, g, pts)]];
        })
      )
    );
  const toFine = (grid: Grid, d: string, g: string, f: (p: Point) => number | undefined) =>
    fine === undefined ? "—" : ratio(mean(paired(grid, d, g, fine, (p, r) => ratioOf(f(p), f(r)))));
  const storageRows = rowsOf((grid, d, g, pts) => [
    pct(mean(pts.map((p) => 100 * density(p)))),
    fixed(mean(pts.map((p) => (p.bits[primary] ?? NaN) / 8 / 2 ** 20)), 2),
    fixed(mean(pts.map((p) => bitsPerKept(p, primary))), 2),
    toFine(grid, d, g, (p) => p.bits[primary]),
  ]);
  const accs = [
    ...labels.accelerators.filter((a) => a === labels.scnn),
    ...labels.accelerators.filter((a) => a !== labels.scnn),
  ];
  const refRows = rowsOf((grid, d, g, pts) => [
    ...accs.flatMap((a) => [
      fixed(mean(pts.map((p) => p.refs[a] ?? NaN)), 0),
      toFine(grid, d, g, (p) => p.refs[a]),
    ]),
    ...(labels.scnn !== undefined && labels.dense !== undefined
      ? [ratio(mean(pts.map((p) => ratioOf(p.refs[labels.scnn!], p.refs[labels.dense!]))))]
      : []),
  ]);
  const pruned = grids.map((g) =>
    `${g.model} ${g.pruned.length}/${g.layers.length}` +
    (g.partial.size > 0
      ? ` (${listing([...g.partial].map(([gr, n]) => `${gr} leaves ${n.length} dense`))})`
      : "")
  );
  const q3 = q3Verdict(grids, labels, "Q3, weight-free");
  const q4 = q4Verdict(grids, labels, "Q4, weight-free");
  const markdown = [
    "## Weight-free half: ImageNet architectures on seeded weights",
    "",
    `Weights: ${
      wf[0].metrics.weights
    }. Storage and memory references need no trained weights, and ImageNet-shaped layers are where the paper measured, so this half is the closer check of questions 3 and 4. Pruned layers per model (pruned / all): ${
      listing(pruned)
    }. Every figure is over the pruned layers, a seed mean; "/ ${
      fine ?? "fine"
    }" divides by the fine-grained point of the same model, density and seed.`,
    "",
    `### Storage ("${primary}")`,
    "",
    table(
      [
        "model",
        "density",
        "granularity",
        "pruned layers %",
        "storage MiB",
        "bits / kept weight",
        `storage / ${fine ?? "fine"}`,
      ],
      storageRows,
      3,
    ),
    "",
    "### Memory references",
    "",
    table(
      [
        "model",
        "density",
        "granularity",
        ...accs.flatMap((a) => [`${a} refs`, `${a} / ${fine ?? "fine"}`]),
        ...(labels.scnn !== undefined && labels.dense !== undefined
          ? [`${labels.scnn} / ${labels.dense}`]
          : []),
      ],
      refRows,
      3,
    ),
    "",
    `#### ${QUESTIONS.q3}`,
    "",
    renderVerdict(q3),
    `#### ${QUESTIONS.q4}`,
    "",
    renderVerdict(q4),
  ].join("\n");
  return { markdown, verdicts: [q3, q4] };
}

// ---------------------------------------------------------------------------------------------
// Title, summary and run

const PHASES = ["weightsMs", "pruneMs", "fineTuneMs", "evaluateMs", "storageMs", "costMs"];

function runSection(lines: readonly ResultLine[], study: StudyRecord | undefined): string {
  const acc = lines.filter((l) => l.half === "accuracy");
  const wf = lines.filter((l) => l.half === "weight-free");
  const keys = new Set<string>();
  for (const l of lines) {
    for (const [k, v] of Object.entries(l.timings)) {
      if (typeof v === "number" && k !== "totalMs") keys.add(k);
    }
  }
  const phases = [
    ...PHASES.filter((p) => keys.has(p)),
    ...[...keys].filter((k) => !PHASES.includes(k)).sort(),
    "totalMs",
  ];
  const sum = (ls: readonly ResultLine[], k: string) =>
    ls.reduce((a, l) => a + (typeof l.timings[k] === "number" ? l.timings[k] as number : 0), 0);
  const rows = phases.map((k) => [
    k === "totalMs" ? "total" : k.replace(/Ms$/, ""),
    duration(sum(acc, k)),
    duration(sum(wf, k)),
    duration(sum(lines, k)),
  ]);
  return [
    "## Run",
    "",
    "This section is the only part of the file that changes between runs of the same config.",
    "",
    `${fixed(lines.length, 0)} result points${
      study ? ` of the study's ${fixed(study.points, 0)}` : ""
    }: ${fixed(acc.length, 0)} accuracy, ${
      fixed(wf.length, 0)
    } weight-free. Time per phase, summed over points (points may run in parallel, so the sum can exceed the wall-clock time):`,
    "",
    table(["phase", "accuracy half", "weight-free half", "all"], rows, 1),
    "",
  ].join("\n");
}

function reproduce(name: string, study: StudyRecord | undefined): string {
  const quick = study?.quick ?? false;
  const file = study?.configFile === undefined ? undefined : normalize(study.configFile);
  const config = file === undefined || file === DEFAULT_CONFIG
    ? ""
    : ` --config ${isAbsolute(file) ? basename(file) : file}`;
  const folder = `runs/${name}${quick ? "-quick" : ""}`;
  // The default study's findings are docs/results.md; another study's are docs/results-<name>.md.
  const doc = config === "" ? "docs/results.md" : `docs/results-${name}.md`;
  return `Reproduce: \`deno task sweep${config}${
    quick ? " --quick" : ""
  }\` writes \`${folder}/results.md\`${
    quick ? " (this was a --quick run)" : ""
  }, then \`cp ${folder}/results.md ${doc}\`.`;
}

function titleSection(
  lines: readonly ResultLine[],
  study: StudyRecord | undefined,
  labels: Labels,
): string {
  const name = study?.name ?? lines[0]?.study ?? "study";
  const hashes = [...new Set(lines.map((l) => l.configHash))].sort();
  const seeds = [...new Set(lines.map((l) => l.seed))].sort((a, b) => a - b);
  const models = (half: string) =>
    listing(
      modelNames(lines.filter((l) => l.half === half)).map((m) => m.replace(/ \(seeded\)$/, "")),
    );
  const acc = models("accuracy");
  const wf = models("weight-free");
  return [
    `# Findings: ${name}`,
    "",
    `Study \`${name}\` (config hash ${hashes.map((h) => `\`${h}\``).join(", ") || "—"}${
      study?.quick ? ", run with --quick" : ""
    }), seed${seeds.length === 1 ? "" : "s"} ${listing(seeds.map(String))}; accuracy half: ${
      acc || "none"
    }; weight-free half: ${wf || "none"}; granularities ${listing(labels.granularities)}${
      labels.fine ? ` (fine-grained reference: ${labels.fine})` : ""
    }; encoders ${listing(labels.encoders)} (primary: ${labels.primary}); accelerator models ${
      listing(labels.accelerators)
    }. Every number is computed from \`results.jsonl\` by \`sparsegrain report\` and set beside the claims of Mao et al. 2017 (PAPER.md); means and sample standard deviations are over seeds, "pp" are percentage points of top-1. ${
      reproduce(name, study)
    }`,
    "",
  ].join("\n");
}

function summarySection(verdicts: readonly Verdict[]): string {
  return [
    "## Where we agree and differ",
    "",
    ...(verdicts.length === 0
      ? ["No claim could be checked with these results."]
      : verdicts.map((v) => `- **${v.scope}** — ${v.status}: ${v.text}`)),
    "",
  ].join("\n");
}

/**
 * The findings report (`results.md`) of a results folder: each of the study's four questions
 * answered with the data, aggregated over seeds and compared with the paper's claims, then the
 * run's timings in a closing "Run" section (the only part that changes between runs).
 *
 * @param lines Result lines, in any order.
 * @param study The folder's `study.json`, when there is one (name, `--quick`, config file).
 * @param options Report options: iso-accuracy drops and the primary encoder.
 * @returns Markdown text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findingsMarkdown } from "./findings.ts";
 * const md = findingsMarkdown([], undefined, { drops: [1] });
 * assert.match(md, /^# Findings: study/);
 * ```
 */
export function findingsMarkdown(
  lines: readonly ResultLine[],
  study: StudyRecord | undefined,
  options: ReportOptions,
): string {
  const sorted = [...lines].sort((a, b) =>
    a.index - b.index || (a.point < b.point ? -1 : a.point > b.point ? 1 : 0)
  );
  const labels = studyLabels(sorted, options);
  if (sorted.length === 0) {
    return `${titleSection(sorted, study, labels)}\nNo results yet: run sweep first.\n`;
  }
  const accuracy = accuracySection(sorted, labels, study, options);
  const weightFree = weightFreeSection(sorted, labels);
  return [
    titleSection(sorted, study, labels),
    accuracy.markdown,
    weightFree.markdown,
    summarySection([...accuracy.verdicts, ...weightFree.verdicts]),
    runSection(sorted, study),
  ].join("\n");
}

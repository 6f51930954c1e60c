/**
 * The tables and verdicts of results.md, question by question (PAPER.md): accuracy at equal
 * sparsity (Q1), storage at equal accuracy (Q2), storage and memory references by granularity
 * (Q3) and the sparse accelerator against the dense one (Q4), each verdict computed from the data.
 *
 * @module
 */
import type { StudyRecord } from "../results/store.ts";
import type { ReportOptions } from "./data.ts";
import {
  bitsPerKept,
  cell,
  density,
  EPS,
  type Grid,
  type Labels,
  mean,
  paired,
  type Point,
  pooledSd,
  ratioOf,
  type SeedStats,
  seedStats,
} from "./_findings_data.ts";
import { fixed, listing, pct, ratio, span, table } from "./_findings_format.ts";

/** The paper's claims, worded as in PAPER.md. */
const CLAIMS = {
  accuracy:
    "coarse (vector, kernel) pruning reaches about the same sparsity as fine-grained pruning with no accuracy loss",
  filter: "filter pruning loses clearly more",
  compression: "coarse pruning gets equal or better compression at the same accuracy",
  references:
    "on SCNN, coarse sparsity saves 30-35% (workshop version) or about 2x (arXiv version) of the memory references of fine-grained sparsity at the same density",
  storage:
    "each kept grain stores one index, so bits per kept weight fall from fine to coarse grains (fillers ignored: fine 12.0, 3-wide vector 9.33, 3x3 kernel 8.44)",
} as const;

/** Fine pruning "keeps accuracy" at a density when it loses at most this much (pp). */
const FINE_LOSS_PP = 1;
/** Smallest accuracy gap (pp) counted as a difference, whatever the seed spread. */
const MIN_BOUND_PP = 0.5;
/** A gap counts as a difference when it exceeds this many pooled seed standard deviations. */
const SPREAD_FACTOR = 2;
/** "Equal" storage: at most this fraction above the fine-grained storage. */
const STORAGE_TOLERANCE = 0.02;
/** Reference savings read as the workshop's 30-35%: 25-40% (5 pp either side). */
const WORKSHOP_BAND: readonly [number, number] = [0.25, 0.4];
/** Fine/coarse reference ratios read as the arXiv version's "about 2x". */
const ARXIV_BAND: readonly [number, number] = [1.7, 2.3];
type Status = "agrees" | "partly agrees" | "differs" | "untested";

/** One comparison with a claim. */
export interface Verdict {
  /** Question and scope, e.g. `Q1, convnet, vector and kernel`. */
  readonly scope: string;
  readonly claim: string;
  /** Where the claim comes from; default: the paper. */
  readonly source?: string;
  readonly status: Status;
  /** The evidence, one sentence with the numbers. */
  readonly text: string;
  /** More numbers (per model), shown in the section but not in the summary. */
  readonly detail?: string;
  /** A short explanation chosen by status. */
  readonly why?: string;
}

function statusOf(flags: readonly boolean[]): Status {
  if (flags.length === 0) return "untested";
  if (flags.every((f) => f)) return "agrees";
  return flags.some((f) => f) ? "partly agrees" : "differs";
}

export function renderVerdict(v: Verdict): string {
  return [
    `**${v.source ?? "Paper"}:** ${v.claim}.`,
    "",
    `**${v.status === "untested" ? "Not checked" : `This run ${v.status}`}:** ${
      capitalise(v.text)
    }${v.detail ? ` ${v.detail}` : ""}`,
    ...(v.why ? ["", v.why] : []),
    "",
  ].join("\n");
}

/** The "untested" verdict when the study lacks the fine or the vector/kernel granularities. */
function missingGranularity(scope: string, claim: string, fine: string | undefined): Verdict {
  return {
    scope,
    claim,
    status: "untested",
    text: fine === undefined
      ? "the study has no fine-grained granularity to compare with."
      : "the study has no vector (1d) or kernel (2d) granularity.",
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function below(gap: number): string {
  return gap >= 0 ? `${pct(gap)} pp below` : `${pct(-gap)} pp above`;
}

// ---------------------------------------------------------------------------------------------
// Accuracy half

function statText(values: readonly number[], seeds: number): string {
  const s = seedStats(values);
  if (s.n === 0) return "—";
  const text = s.n >= 2
    ? `${pct(s.mean)} ± ${pct(s.sd)} [${pct(s.min)}, ${pct(s.max)}]`
    : pct(s.mean);
  return s.n === seeds ? text : `${text} (n=${s.n})`;
}

function change(values: readonly number[]): string {
  return values.length === 0 ? "" : `; ${fixed(mean(values), 2)} pp`;
}

export function prunedSentence(grid: Grid): string {
  const total = grid.layers.reduce((a, l) => a + l.elements, 0);
  const inPruned = grid.layers.filter((l) => grid.pruned.includes(l.name))
    .reduce((a, l) => a + l.elements, 0);
  const dense = grid.layers.map((l) => l.name).filter((n) => !grid.pruned.includes(n));
  const partial = [...grid.partial].map(([g, names]) => `${g} leaves ${listing(names)} dense`);
  return `Pruned layers: ${listing(grid.pruned) || "none"} (${fixed(inPruned, 0)} of ${
    fixed(total, 0)
  } weights, ${pct((100 * inPruned) / total)}%)` +
    (dense.length > 0 ? `; left dense: ${listing(dense)}.` : ".") +
    (partial.length > 0 ? ` Not every granularity prunes all of them: ${listing(partial)}.` : "") +
    " Densities, storage and memory references below are over the pruned layers" +
    (dense.length > 0 ? " (the dense ones are the same at every point)." : ".");
}

export function baselineStats(grid: Grid, quantised: boolean): SeedStats {
  return seedStats(grid.seeds.map((seed) => {
    const line = grid.lines.find((l) => l.seed === seed)!;
    const acc = line.metrics.accuracy!;
    return 100 * (quantised ? acc.baselineTop1Quantized : acc.baselineTop1);
  }));
}

export function accuracyTables(grid: Grid): string {
  const n = grid.seeds.length;
  const spread = n >= 2 ? `mean ± sample sd [min, max] over ${n} seeds` : "one seed, so no spread";
  const header = (what: string) => [
    "target density",
    "pruned layers %",
    "whole network %",
    ...grid.granularities.map((g) => `${g} ${what}`),
  ];
  const rows = (quantised: boolean) =>
    grid.densities.map((d) => {
      const all = grid.granularities.flatMap((g) => cell(grid, d, g));
      return [
        d,
        span(all.map((p) => 100 * density(p)), pct),
        span(all.map((p) => 100 * p.line.metrics.density), pct),
        ...grid.granularities.map((g) => {
          const pts = cell(grid, d, g);
          const top = pts.map((p) => (quantised ? p.top1q : p.top1));
          const drop = pts.map((p) => (quantised ? p.top1q - p.baseq : p.top1 - p.base));
          return `${statText(top, n)}${change(drop)}`;
        }),
      ];
    });
  const bits = grid.lines[0].metrics.accuracy!.quantizationBits;
  return [
    `Top-1 (%) with float32 weights, ${spread}; after the semicolon the mean change against the same seed's dense baseline (pp). "pruned layers %" is the density reached over the pruned layers, "whole network %" over every layer (the dense ones included); both are ranges over granularities and seeds.`,
    "",
    table(header("top-1 %"), rows(false), 1),
    "",
    `Top-1 (%) after ${bits}-bit linear quantisation of the kept weights; the change is against the same seed's quantised dense baseline.`,
    "",
    table(header(`${bits}-bit top-1 %`), rows(true), 1),
    "",
  ].join("\n");
}

/** Accuracy gap of `coarse` below the fine granularity at one density, with its bound. */
function accuracyGap(
  grid: Grid,
  d: string,
  coarse: string,
  fine: string,
): { gap: number; bound: number } | undefined {
  const gaps = paired(grid, d, coarse, fine, (p, r) => r.top1 - p.top1);
  if (gaps.length === 0) return undefined;
  const sd = pooledSd(
    cell(grid, d, fine).map((p) => p.top1),
    cell(grid, d, coarse).map((p) => p.top1),
  );
  return { gap: mean(gaps), bound: Math.max(MIN_BOUND_PP, SPREAD_FACTOR * sd) };
}

function fineLoss(grid: Grid, d: string, fine: string): number {
  return mean(cell(grid, d, fine).map((p) => p.base - p.top1));
}

function fineTuneBudget(study: StudyRecord | undefined): string {
  const samples = (study?.config as { accuracy?: { fineTune?: { samples?: unknown } } })
    ?.accuracy?.fineTune?.samples;
  return typeof samples === "number"
    ? `${fixed(samples, 0)} images of fine-tuning per pruning step`
    : "the fine-tuning budget of `accuracy.fineTune`";
}

export function q1Verdicts(grid: Grid, labels: Labels, study: StudyRecord | undefined): Verdict[] {
  const fine = labels.fine;
  const scope = `Q1, ${grid.model}`;
  if (fine === undefined) {
    const text =
      "the study has no fine-grained granularity (one whose grains are single weights), so there is nothing to compare with.";
    return [
      { scope: `${scope}, vector and kernel`, claim: CLAIMS.accuracy, status: "untested", text },
      { scope: `${scope}, filter`, claim: CLAIMS.filter, status: "untested", text },
    ];
  }
  const densities = grid.densities.filter((d) => cell(grid, d, fine).length > 0);
  const eligible = densities.filter((d) => fineLoss(grid, d, fine) <= FINE_LOSS_PP + EPS);
  const at = (d: string) =>
    `at density ${d} (${fine} ${below(fineLoss(grid, d, fine))} the baseline)`;
  const verdicts: Verdict[] = [];
  const bound = ` The bound is max(${
    pct(MIN_BOUND_PP)
  } pp, ${SPREAD_FACTOR} x the pooled seed sd of the two granularities).`;

  const vk = grid.granularities.filter((g) => labels.vectorKernel.includes(g));
  if (vk.length === 0) {
    verdicts.push({
      scope: `${scope}, vector and kernel`,
      claim: CLAIMS.accuracy,
      status: "untested",
      text: "the study has no vector (1d) or kernel (2d) granularity.",
    });
  } else if (eligible.length === 0) {
    const least = densities.map((d) => fineLoss(grid, d, fine));
    verdicts.push({
      scope: `${scope}, vector and kernel`,
      claim: CLAIMS.accuracy,
      status: "untested",
      text: `${fine} loses more than ${pct(FINE_LOSS_PP)} pp at every density (at least ${
        pct(Math.min(...least))
      } pp), so there is no density where "no accuracy loss" can be checked.`,
    });
  } else {
    const flags: boolean[] = [];
    const parts = eligible.map((d) => {
      const items = vk.flatMap((g) => {
        const r = accuracyGap(grid, d, g, fine);
        if (!r) return [];
        flags.push(r.gap <= r.bound + EPS);
        return [`${g} ${below(r.gap)} ${fine} (bound ${pct(r.bound)} pp)`];
      });
      return `${at(d)}: ${listing(items)}`;
    });
    const status = statusOf(flags);
    verdicts.push({
      scope: `${scope}, vector and kernel`,
      claim: CLAIMS.accuracy,
      status,
      text: `where ${fine} stays within ${pct(FINE_LOSS_PP)} pp of the dense baseline, ${
        parts.join("; ")
      }.${bound}`,
      why: status === "agrees"
        ? "As in the paper: the kept vectors and kernels hold nearly as much of each layer's L1 mass as the individually kept weights, and fine-tuning with the masks held recovers the small remaining loss."
        : `Likely reasons, which this run does not separate: a coarse grain is kept or removed whole, so it removes weights whose neighbours in the grain are still salient (and keeps weak ones beside strong ones); a small network on Fashion-MNIST has much less redundancy per layer than AlexNet or VGG-16 on ImageNet, where the paper measured; and ${
          fineTuneBudget(study)
        } is far below the paper's retraining, while coarse masks may need longer to recover.`,
    });
  }

  const filter = grid.granularities.filter((g) => labels.filter.includes(g));
  if (filter.length === 0) {
    verdicts.push({
      scope: `${scope}, filter`,
      claim: CLAIMS.filter,
      status: "untested",
      text: "the study has no filter (3d) granularity.",
    });
  } else {
    const where = eligible.length > 0 ? eligible : densities;
    const flags: boolean[] = [];
    const parts = where.map((d) => {
      const items = filter.flatMap((g) => {
        const r = accuracyGap(grid, d, g, fine);
        if (!r) return [];
        flags.push(r.gap > r.bound + EPS);
        return [`${g} ${below(r.gap)} ${fine} (bound ${pct(r.bound)} pp)`];
      });
      return `${at(d)}: ${listing(items)}`;
    });
    const status = statusOf(flags);
    verdicts.push({
      scope: `${scope}, filter`,
      claim: CLAIMS.filter,
      status,
      text: `${
        eligible.length > 0
          ? `where ${fine} stays within ${pct(FINE_LOSS_PP)} pp of the dense baseline, `
          : `${fine} loses more than ${pct(FINE_LOSS_PP)} pp at every density, so all count: `
      }${parts.join("; ")}.${bound}`,
      why: status === "differs"
        ? "Here filter pruning keeps up with fine pruning: at these densities the network has spare output channels (filters with a small L1 norm), so removing whole ones costs little; the paper's claim concerns the higher sparsities of its ImageNet networks."
        : "Filter pruning removes whole output channels, so the next layer loses those input channels as well: the network becomes narrower rather than sparser, and loses clearly more accuracy at the same density.",
    });
  }
  return verdicts;
}

/** Seed means of one granularity at one density, for the iso-accuracy comparison. */
interface Mean {
  readonly d: string;
  readonly top1: number;
  readonly top1q: number;
  readonly sparsity: number;
  readonly bits: number;
  readonly bitsPerKept: number;
}

function means(grid: Grid, g: string, encoder: string): Mean[] {
  return grid.densities.flatMap((d) => {
    const pts = cell(grid, d, g);
    if (pts.length === 0) return [];
    return [{
      d,
      top1: mean(pts.map((p) => p.top1)),
      top1q: mean(pts.map((p) => p.top1q)),
      sparsity: mean(pts.map((p) => 100 * (1 - density(p)))),
      bits: mean(pts.map((p) => p.bits[encoder] ?? NaN)),
      bitsPerKept: mean(pts.map((p) => bitsPerKept(p, encoder))),
    }];
  });
}

/** The first of `items` with the largest (`sign` 1) or smallest (`sign` -1) `key`. */
function best<T>(items: readonly T[], key: (t: T) => number, sign: 1 | -1): T | undefined {
  let out: T | undefined;
  for (const t of items) if (out === undefined || sign * (key(t) - key(out)) > 0) out = t;
  return out;
}

interface Iso {
  readonly sparse?: Mean;
  readonly small?: Mean;
}

function iso(grid: Grid, g: string, encoder: string, base: number, drop: number): Iso {
  const m = means(grid, g, encoder);
  return {
    sparse: best(m.filter((x) => x.top1 >= base - drop - EPS), (x) => x.sparsity, 1),
    small: best(m.filter((x) => x.top1q >= base - drop - EPS), (x) => x.bits, -1),
  };
}

function kib(bits: number | undefined): string {
  return bits === undefined ? "—" : fixed(bits / 8192, 2);
}

export function q2Section(
  grid: Grid,
  labels: Labels,
  options: ReportOptions,
): { markdown: string; verdict: Verdict } {
  const encoder = labels.primary;
  const base = baselineStats(grid, false).mean;
  const drops = [...options.drops].sort((a, b) => a - b);
  const rows: string[][] = [];
  for (const drop of drops) {
    const fineIso = labels.fine ? iso(grid, labels.fine, encoder, base, drop) : {};
    for (const g of grid.granularities) {
      const r = iso(grid, g, encoder, base, drop);
      rows.push([
        fixed(drop, 2),
        g,
        pct(r.sparse?.sparsity),
        r.sparse?.d ?? "—",
        kib(r.small?.bits),
        r.small?.d ?? "—",
        fixed(r.small?.bitsPerKept, 2),
        ratio(ratioOf(r.small?.bits, fineIso.small?.bits)),
      ]);
    }
  }
  const markdown = [
    `Within each allowed drop (pp below the seed-mean dense float32 baseline, ${
      pct(base)
    }%): the highest sparsity of the pruned layers whose seed-mean float32 top-1 stays within it, and the smallest "${encoder}" storage of the pruned layers whose seed-mean quantised top-1 does. "—": no density qualifies.`,
    "",
    table(
      [
        "drop (pp)",
        "granularity",
        "highest sparsity %",
        "at density",
        `smallest storage (KiB, ${encoder})`,
        "at density",
        "bits / kept weight there",
        `storage / ${labels.fine ?? "fine"}`,
      ],
      rows,
      2,
    ),
    "",
  ].join("\n");
  return { markdown, verdict: q2Verdict(grid, labels, base, drops) };
}

function q2Verdict(
  grid: Grid,
  labels: Labels,
  base: number,
  drops: readonly number[],
): Verdict {
  const scope = `Q2, ${grid.model}`;
  const fine = labels.fine;
  const vk = grid.granularities.filter((g) => labels.vectorKernel.includes(g));
  if (fine === undefined || vk.length === 0) {
    return missingGranularity(scope, CLAIMS.compression, fine);
  }
  const encoder = labels.primary;
  const where = (m: Mean) =>
    `${kib(m.bits)} KiB at density ${m.d} (${fixed(m.bitsPerKept, 2)} bits per kept weight)`;
  const flags: boolean[] = [];
  const parts: string[] = [];
  let coarseStopsEarlier = false;
  for (const drop of drops) {
    const f = iso(grid, fine, encoder, base, drop).small;
    const reached: string[] = [];
    const none: string[] = [];
    for (const g of vk) {
      const c = iso(grid, g, encoder, base, drop).small;
      if (!c) {
        none.push(g);
        if (f) {
          flags.push(false);
          coarseStopsEarlier = true;
        }
        continue;
      }
      const ok = f === undefined || c.bits <= f.bits * (1 + STORAGE_TOLERANCE);
      flags.push(ok);
      if (!ok && f && Number(c.d) > Number(f.d)) coarseStopsEarlier = true;
      reached.push(`${g} ${where(c)}`);
    }
    const items = [
      `${fine} ${f ? where(f) : "at no density"}`,
      ...reached,
      ...(none.length > 0 ? [`${listing(none)} at no density`] : []),
    ];
    parts.push(
      !f && reached.length === 0
        ? `within ${fixed(drop, 2)} pp no granularity qualifies`
        : `within ${fixed(drop, 2)} pp: ${items.join(", ")}`,
    );
  }
  const status = statusOf(flags);
  return {
    scope,
    claim: CLAIMS.compression,
    status,
    text: `smallest "${encoder}" storage of the pruned layers, by allowed drop: ${
      parts.join("; ")
    }${flags.length > 0 ? ` ("equal": at most ${fixed(100 * STORAGE_TOLERANCE, 0)}% more)` : ""}.`,
    why: status === "untested"
      ? undefined
      : status === "agrees"
      ? "The index saving effect: a coarse grain stores one index for several weights, so at the same accuracy the coarse model needs fewer bits per kept weight and no more kept weights."
      : coarseStopsEarlier && status === "partly agrees"
      ? "Where a coarse granularity keeps the accuracy down to the same density as fine pruning, its one index per grain makes it the smaller model (the index saving effect); where it loses accuracy sooner, it stops at a higher density and the index saving does not make up for the extra weights kept."
      : coarseStopsEarlier
      ? "Coarse grains do store fewer bits per kept weight (one index per grain), but here they lose accuracy sooner, so within the allowed drop they stop at a higher density or never qualify: the index saving does not make up for the extra weights kept."
      : "The index saving per kept weight is smaller than the difference in kept weights at these points.",
  };
}

/** Density, storage and references per granularity at each density (question 3). */
export function q3Table(grid: Grid, labels: Labels): string {
  const fine = labels.fine;
  const rows = grid.densities.flatMap((d) =>
    grid.granularities.flatMap((g) => {
      const pts = cell(grid, d, g);
      if (pts.length === 0) return [];
      return [[
        d,
        g,
        pct(mean(pts.map((p) => 100 * density(p)))),
        ...labels.encoders.map((e) => fixed(mean(pts.map((p) => bitsPerKept(p, e))), 2)),
        kib(mean(pts.map((p) => p.bits[labels.primary] ?? NaN))),
        ...labels.accelerators.map((a) =>
          fine === undefined
            ? "—"
            : ratio(mean(paired(grid, d, g, fine, (p, r) => ratioOf(p.refs[a], r.refs[a]))))
        ),
      ]];
    })
  );
  return [
    `Seed means over the pruned layers: density reached, bits per kept weight under every encoder, "${labels.primary}" storage, and total memory references under every accelerator divided by those of ${
      fine ?? "the fine granularity"
    } at the same density and seed.`,
    "",
    table(
      [
        "density",
        "granularity",
        "pruned layers %",
        ...labels.encoders.map((e) => `bits / kept (${e})`),
        `storage KiB (${labels.primary})`,
        ...labels.accelerators.map((a) => `${a} refs / ${fine ?? "fine"}`),
      ],
      rows,
      2,
    ),
    "",
  ].join("\n");
}

/** Per-point bits per kept weight of the primary encoder, fine vs vector/kernel (question 3). */
export function q3Verdict(grids: readonly Grid[], labels: Labels, scope: string): Verdict {
  const fine = labels.fine;
  const gs = labels.vectorKernel.filter((g) => grids.some((x) => x.granularities.includes(g)));
  if (fine === undefined || gs.length === 0) return missingGranularity(scope, CLAIMS.storage, fine);
  const e = labels.primary;
  const flags: boolean[] = [];
  const values = new Map<string, number[]>();
  const perModel: string[] = [];
  for (const grid of grids) {
    const local = new Map<string, number[]>();
    for (const d of grid.densities) {
      const f = mean(cell(grid, d, fine).map((p) => bitsPerKept(p, e)));
      if (Number.isNaN(f)) continue;
      for (const g of [fine, ...gs]) {
        const v = mean(cell(grid, d, g).map((p) => bitsPerKept(p, e)));
        if (Number.isNaN(v)) continue;
        if (g !== fine) flags.push(v <= f + EPS);
        for (const m of [values, local]) m.set(g, [...(m.get(g) ?? []), v]);
      }
    }
    perModel.push(`${grid.model}: ${bitsListing(local, fine, gs)}`);
  }
  const status = statusOf(flags);
  const shares = singleWeightShares(grids, gs);
  return {
    scope,
    claim: CLAIMS.storage,
    source: "Storage model (PAPER.md)",
    status,
    text: `bits per kept weight ("${e}", pruned layers, over every density${
      grids.length > 1 ? " and model" : ""
    }): ${bitsListing(values, fine, gs)}.`,
    ...(grids.length > 1 ? { detail: `By model: ${perModel.join("; ")}.` } : {}),
    why: status === "untested" ? undefined : [
      ...(shares === undefined ? [] : [
        `The whole-model figures sit closer to ${fine}'s than the per-layer 9.33 and 8.44 because ${shares} of the pruned weights are in layers where these grains are single weights (dense layers, treated as 1x1 convolutions, and 1x1 convolutions), which store one index per weight at every granularity.`,
      ]),
      "At low density every granularity pays for fillers (gaps longer than the index can count), so bits per kept weight rise as density falls.",
      ...(status === "agrees" ? [] : [
        "Where a coarse granularity needs more bits per kept weight than fine, its fillers or per-grain headers cost more than the indices it saves.",
      ]),
    ].join(" "),
  };
}

/** Share of a model's pruned weights in layers where granularity `g` cuts single weights. */
function singleWeightShare(grid: Grid, g: string): number | undefined {
  const line = grid.lines.find((l) => l.granularity === g);
  if (!line) return undefined;
  const layers = line.layers.filter((l) => grid.pruned.includes(l.name));
  const total = layers.reduce((a, l) => a + l.elements, 0);
  const single = layers.filter((l) => l.grains === l.elements).reduce((a, l) => a + l.elements, 0);
  return total > 0 ? single / total : undefined;
}

/** `86.00%` or, over several models, `alexnet 96.20%, vgg16 89.40%`; undefined when all 0. */
function singleWeightShares(
  grids: readonly Grid[],
  gs: readonly string[],
): string | undefined {
  const perModel = grids.map((grid) => {
    const values = gs.flatMap((g) => {
      const v = singleWeightShare(grid, g);
      return v === undefined ? [] : [100 * v];
    });
    return { model: grid.model, values };
  });
  if (perModel.every((m) => m.values.every((v) => v < 0.005))) return undefined;
  const text = (values: readonly number[]) => `${span(values, pct)}%`;
  return grids.length === 1
    ? text(perModel[0].values)
    : listing(perModel.map((m) => `${m.model} ${text(m.values)}`));
}

function bitsListing(
  values: ReadonlyMap<string, number[]>,
  fine: string,
  gs: readonly string[],
) {
  const f = (g: string) => span(values.get(g) ?? [], (v) => fixed(v, 2));
  return `${listing(gs.filter((g) => values.has(g)).map((g) => `${g} ${f(g)}`))} against ${
    f(fine)
  } for ${fine}`;
}

/** Accelerator against the dense one, and the reference saving against fine (question 4). */
export function q4Table(grid: Grid, labels: Labels): string {
  const { fine, dense, scnn } = labels;
  const others = labels.accelerators.filter((a) => a !== dense);
  if (dense === undefined && scnn === undefined) {
    return "No dense accelerator model in this study, so nothing is compared with one.\n";
  }
  const vsDense = (d: string, g: string, a: string, f: (p: Point) => Record<string, number>) =>
    ratio(mean(cell(grid, d, g).map((p) => ratioOf(f(p)[a], f(p)[dense!]))));
  const rows = grid.densities.flatMap((d) =>
    grid.granularities.flatMap((g) => {
      if (cell(grid, d, g).length === 0) return [];
      return [[
        d,
        g,
        ...(dense === undefined ? [] : others.flatMap((a) => [
          vsDense(d, g, a, (p) => p.cycles),
          vsDense(d, g, a, (p) => p.refs),
          vsDense(d, g, a, (p) => p.energy),
        ])),
        ...(scnn === undefined || fine === undefined ? [] : [
          pct(100 * referenceSaving(grid, d, g, fine, scnn)),
        ]),
      ]];
    })
  );
  return [
    `Seed means over the pruned layers${
      dense === undefined
        ? ""
        : `: cycles, memory references and energy of each accelerator model divided by "${dense}"'s on the same point`
    }${
      scnn !== undefined && fine !== undefined
        ? `${
          dense === undefined ? ":" : ";"
        } the last column is the share of "${scnn}"'s memory references that the granularity saves against ${fine} at the same density`
        : ""
    }.`,
    "",
    table(
      [
        "density",
        "granularity",
        ...(dense === undefined ? [] : others.flatMap((a) => [
          `${a} cycles / ${dense}`,
          `${a} refs / ${dense}`,
          `${a} energy / ${dense}`,
        ])),
        ...(scnn === undefined || fine === undefined ? [] : [`${scnn} refs saved vs ${fine} %`]),
      ],
      rows,
      2,
    ),
    "",
  ].join("\n");
}

/** 1 - (seed mean of references / fine references), on one accelerator. */
function referenceSaving(
  grid: Grid,
  d: string,
  g: string,
  fine: string,
  acc: string,
): number {
  return 1 - mean(paired(grid, d, g, fine, (p, r) => ratioOf(p.refs[acc], r.refs[acc])));
}

export function q4Verdict(grids: readonly Grid[], labels: Labels, scope: string): Verdict {
  const { fine, scnn } = labels;
  const gs = labels.vectorKernel.filter((g) => grids.some((x) => x.granularities.includes(g)));
  const claim = CLAIMS.references;
  if (scnn === undefined) {
    return {
      scope,
      claim,
      status: "untested",
      text: "no SCNN accelerator model (plugin `scnn`) in this study, so the claim is not checked.",
    };
  }
  if (fine === undefined || gs.length === 0) return missingGranularity(scope, claim, fine);
  const savings = new Map<string, number[]>();
  const perModel: string[] = [];
  for (const grid of grids) {
    const local = new Map<string, number[]>();
    for (const d of grid.densities) {
      for (const g of gs) {
        const s = referenceSaving(grid, d, g, fine, scnn);
        if (Number.isNaN(s)) continue;
        for (const m of [savings, local]) m.set(g, [...(m.get(g) ?? []), s]);
      }
    }
    perModel.push(`${grid.model}: ${savingListing(local)}`);
  }
  const inBand = (s: number, [lo, hi]: readonly [number, number]) => s >= lo - EPS && s <= hi + EPS;
  const workshop = (s: number) => inBand(s, WORKSHOP_BAND);
  const arxiv = (s: number) => s < 1 && inBand(1 / (1 - s), ARXIV_BAND);
  const all = [...savings.values()].flat();
  const status: Status = all.length === 0
    ? "untested"
    : all.every((s) => workshop(s) || arxiv(s))
    ? "agrees"
    : all.some((s) => s > EPS)
    ? "partly agrees"
    : "differs";
  const counts = (test: (s: number) => boolean) =>
    listing(
      [...savings].map(([g, list]) => `${g} at ${list.filter(test).length} of ${list.length}`),
    );
  const text = `on "${scnn}", ${
    savingListing(savings)
  } of the memory references of ${fine} at the same density (pruned layers${
    grids.length > 1 ? ", over every density and model" : ""
  }). Points in the workshop band (${pct(100 * WORKSHOP_BAND[0])}-${
    pct(100 * WORKSHOP_BAND[1])
  }% saved, 30-35% give or take 5 pp): ${counts(workshop)}; in the arXiv band (${
    fixed(ARXIV_BAND[0], 1)
  }-${fixed(ARXIV_BAND[1], 1)}x fewer references, i.e. ${pct(100 * (1 - 1 / ARXIV_BAND[0]))}-${
    pct(100 * (1 - 1 / ARXIV_BAND[1]))
  }% saved): ${counts(arxiv)}.`;
  const shares = singleWeightShares(grids, gs);
  return {
    scope,
    claim,
    status,
    text,
    ...(grids.length > 1 ? { detail: `By model: ${perModel.join("; ")}.` } : {}),
    why: status === "agrees"
      ? "Coarse survivors sit next to each other: a kept row or kernel times one activation lands on adjacent outputs, so the partial sums merge into one wide accumulator access, and one index is read per grain instead of per weight (the project's counting model, PAPER.md)."
      : status === "differs"
      ? "In this counting model coarse grains save nothing here: their survivors do not merge into wider accumulator accesses on these layer shapes, and the weight and activation references do not depend on the grain. The paper's exact counting is not public."
      : `The saving depends on the counting model and on the layer shapes. This project's model (PAPER.md) merges the accumulator accesses of a kept row or kernel and reads one index per grain, while weight and input-activation references do not shrink with the grain${
        shares === undefined
          ? ""
          : `, and ${shares} of the pruned weights are in layers where 1-D and 2-D grains are single weights (dense layers and 1x1 convolutions), which gain nothing`
      }. The paper's exact counting is not public, so the direction of the saving is what this run checks firmly; its size is this model's.`,
  };
}

function savingListing(savings: ReadonlyMap<string, number[]>): string {
  return listing(
    [...savings].map(([g, list]) => `${g} saves ${span(list.map((s) => 100 * s), pct)}%`),
  );
}

/** Accuracy gaps of granularities no claim names (plugins and the like), for the record. */
export function otherGaps(grid: Grid, labels: Labels): string {
  const fine = labels.fine!;
  const parts = grid.densities.flatMap((d) => {
    const items = grid.granularities.filter((g) => labels.others.includes(g)).flatMap((g) => {
      const r = accuracyGap(grid, d, g, fine);
      return r ? [`${g} ${below(r.gap)} ${fine}`] : [];
    });
    return items.length > 0 ? [`at density ${d}: ${listing(items)}`] : [];
  });
  return `Granularities the paper's claims do not name, for the record: ${parts.join("; ")}.`;
}

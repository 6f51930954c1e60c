/**
 * Writes every report of a results folder: results.csv, layers.csv, one `.vl.json` and `.svg`
 * per chart, report.md, a self-contained report.html and the findings, results.md. All files are
 * written atomically.
 *
 * @module
 */
import { join } from "node:path";
import type { ResultLine } from "../results/schema.ts";
import { type StudyRecord, writeFileAtomic } from "../results/store.ts";
import { buildCharts, type Chart, formatSpec } from "./charts.ts";
import { layersCsv, resultsCsv } from "./csv.ts";
import { findingsMarkdown } from "./findings.ts";
import {
  acceleratorLabels,
  fineGranularity,
  isoAccuracyRows,
  modelKey,
  modelNames,
  primaryEncoder,
  type ReportOptions,
  round,
  totalReferenceRows,
} from "./data.ts";
import { escapeHtml, renderHtml, renderSvg } from "./render.ts";

/** A table rendered to both Markdown and HTML. */
interface Table {
  readonly title: string;
  readonly note?: string;
  readonly header: readonly string[];
  /** Columns (by index) holding text, aligned left. */
  readonly textColumns: number;
  readonly rows: readonly (readonly (string | number | undefined)[])[];
}

function cell(value: string | number | undefined): string {
  if (value === undefined) return "—";
  if (typeof value === "number") {
    return Number.isInteger(value) ? value.toLocaleString("en-US") : String(value);
  }
  return value;
}

function markdownTable(t: Table): string {
  const head = `| ${t.header.join(" | ")} |`;
  const rule = `|${t.header.map((_, i) => (i < t.textColumns ? "---" : "---:")).join("|")}|`;
  const body = t.rows.map((r) => `| ${r.map((v) => cell(v).replace(/\|/g, "\\|")).join(" | ")} |`);
  return [`### ${t.title}`, "", ...(t.note ? [t.note, ""] : []), head, rule, ...body, ""].join(
    "\n",
  );
}

function htmlTable(t: Table): string {
  const cls = (i: number) => (i < t.textColumns ? ' class="text"' : "");
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("");
  const body = t.rows.map((r) =>
    `<tr>${r.map((v, i) => `<td${cls(i)}>${escapeHtml(cell(v))}</td>`).join("")}</tr>`
  ).join("\n");
  return `<section class="table"><h2>${escapeHtml(t.title)}</h2>${
    t.note ? `<p>${escapeHtml(t.note)}</p>` : ""
  }<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

function pct(x: number | undefined): number | undefined {
  return x === undefined ? undefined : round(100 * x, 2);
}

function tables(lines: readonly ResultLine[], options: ReportOptions): Table[] {
  const encoder = primaryEncoder(lines, options);
  const accelerators = acceleratorLabels(lines);
  const fine = fineGranularity(lines);
  const totals = totalReferenceRows(lines);
  const ratio = (l: ResultLine, a: string) =>
    totals.find((t) =>
      t.model === modelKey(l) && t.seed === l.seed && t.densityLabel === l.densityLabel &&
      t.granularity === l.granularity && t.accelerator === a
    )?.normalized;
  const out: Table[] = [];
  const acc = lines.filter((l) => l.metrics.accuracy);
  if (acc.length > 0) {
    out.push({
      title: "Accuracy half: pruned and fine-tuned networks",
      note:
        `Top-1 on the test set with float32 weights and with the kept weights linearly quantised; storage with the "${encoder}" encoder; memory references relative to "${fine}" at the same density.`,
      header: [
        "model",
        "granularity",
        "density",
        "seed",
        "sparsity %",
        "top-1 %",
        "top-1 quantised %",
        "baseline %",
        "bits / kept weight",
        "compression x",
        ...accelerators.map((a) => `${a} refs / ${fine}`),
      ],
      textColumns: 3,
      rows: acc.map((l) => [
        l.model,
        l.granularity,
        l.densityLabel,
        l.seed,
        pct(l.metrics.sparsity),
        pct(l.metrics.accuracy!.top1),
        pct(l.metrics.accuracy!.top1Quantized),
        pct(l.metrics.accuracy!.baselineTop1),
        round(l.metrics.storage[encoder]?.bitsPerKept ?? NaN, 3),
        round(l.metrics.storage[encoder]?.compression ?? NaN, 2),
        ...accelerators.map((a) => ratio(l, a)),
      ]),
    });
    const iso = isoAccuracyRows(lines, options);
    out.push({
      title: "Iso-accuracy: how far each granularity goes within an accuracy drop",
      note:
        `Highest sparsity whose float32 top-1 is within the drop (percentage points) of the dense float32 baseline, and smallest "${encoder}" storage whose quantised top-1 is within it. "—": no point qualifies.`,
      header: [
        "model",
        "granularity",
        "drop (pp)",
        "highest sparsity %",
        "at density",
        "smallest storage (KiB)",
        "at density",
      ],
      textColumns: 2,
      rows: iso.map((r) => [
        r.model,
        r.granularity,
        r.drop,
        r.maxSparsity,
        r.maxSparsityDensity,
        r.minBits === undefined ? undefined : round(r.minBits / 8192, 2),
        r.minBitsDensity,
      ]),
    });
  }
  const wf = lines.filter((l) => l.half === "weight-free");
  if (wf.length > 0) {
    out.push({
      title: "Weight-free half: storage and memory references",
      note:
        `Seeded He-init weights (no training): masks, "${encoder}" storage and accelerator memory references relative to "${fine}" at the same density.`,
      header: [
        "model",
        "density",
        "granularity",
        "seed",
        "density achieved",
        "storage (MiB)",
        "bits / kept weight",
        "compression x",
        ...accelerators.map((a) => `${a} refs / ${fine}`),
      ],
      textColumns: 3,
      rows: wf.map((l) => [
        l.model,
        l.densityLabel,
        l.granularity,
        l.seed,
        round(l.metrics.density, 4),
        round((l.metrics.storage[encoder]?.bits ?? NaN) / 8 / 2 ** 20, 3),
        round(l.metrics.storage[encoder]?.bitsPerKept ?? NaN, 3),
        round(l.metrics.storage[encoder]?.compression ?? NaN, 2),
        ...accelerators.map((a) => ratio(l, a)),
      ]),
    });
  }
  return out;
}

/** What {@link writeReports} wrote. */
export interface WrittenReports {
  readonly files: string[];
  readonly charts: Chart[];
}

/** Writes all reports of `lines` into `out`. */
export async function writeReports(
  out: string,
  unsorted: readonly ResultLine[],
  study: StudyRecord | undefined,
  options: ReportOptions,
): Promise<WrittenReports> {
  // Lines are appended in the order points finish; reports list them in study order.
  const lines = [...unsorted].sort((a, b) => a.index - b.index);
  const files: string[] = [];
  const write = async (name: string, data: string) => {
    await writeFileAtomic(join(out, name), data);
    files.push(name);
  };
  await write("results.csv", resultsCsv(lines));
  await write("layers.csv", layersCsv(lines));
  const charts = buildCharts(lines, options);
  for (const chart of charts) {
    await write(`${chart.id}.vl.json`, formatSpec(chart.spec) + "\n");
    await write(`${chart.id}.svg`, await renderSvg(chart.spec));
  }
  const name = study?.name ?? lines[0]?.study ?? "study";
  const title = `sparsegrain report: ${name}`;
  const hasAccuracy = lines.some((l) => l.metrics.accuracy);
  const notes = [
    `${lines.length} result points of ${modelNames(lines).length} models` +
    (study ? ` (the study has ${study.points})` : "") +
    `, config hash \`${lines[0]?.configHash ?? study?.configHash ?? "-"}\`${
      study?.quick ? ", run with --quick" : ""
    }.`,
    hasAccuracy
      ? ""
      : "No accuracy results: the accuracy half was skipped or not configured, so the accuracy charts and the iso-accuracy table are left out.",
  ].filter((s) => s);
  const tbls = tables(lines, options);
  const md = [
    `# ${title}`,
    "",
    ...notes.map((n) => `${n}\n`),
    "Files: `results.md` (the findings: each question of the study answered and set beside the paper's claims), `results.jsonl` (every metric), `results.csv` (one row per point), `layers.csv` (one row per point and layer); each chart's Vega-Lite spec is the `.vl.json` beside its `.svg`.",
    "",
    "## Tables",
    "",
    ...tbls.map(markdownTable),
    "## Charts",
    "",
    ...charts.flatMap((c) => [
      `### ${c.title}`,
      "",
      c.caption,
      "",
      `![${c.title}](${c.id}.svg)`,
      "",
      `Spec: [${c.id}.vl.json](${c.id}.vl.json)`,
      "",
    ]),
  ].join("\n");
  await write("report.md", md);
  const intro = [
    ...notes.map((n) => `<p>${escapeHtml(n.replace(/`/g, ""))}</p>`),
    '<p>The findings (each question of the study answered over seeds and set beside the paper\'s claims) are in <a href="results.md">results.md</a> beside this page.</p>',
  ].join("\n");
  await write(
    "report.html",
    await renderHtml(title, intro, charts, tbls.map(htmlTable).join("\n")),
  );
  await write("results.md", findingsMarkdown(lines, study, options));
  return { files, charts };
}

import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { cli, exists, FIXTURES, ROOT, stableResults } from "./_cli.ts";

/** Kept after the run (with the browser screenshot) so a developer can look at it. */
const OUT = join(ROOT, ".cache/test-output/cli-quick");
const CHROMIUM = "/usr/bin/chromium";

const CHARTS = [
  "accuracy-vs-sparsity",
  "compression-vs-accuracy",
  "memory-references-per-layer",
  "memory-references-total",
  "energy-by-kind",
  "mask-pictures",
];

async function quickSweep(): Promise<void> {
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  const cache = await Deno.makeTempDir();
  try {
    const run = await cli(
      ["sweep", "--quick", "--config", join(FIXTURES, "tiny.yaml"), "--out", OUT, "--json"],
      { SPARSEGRAIN_CACHE: cache },
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.accuracy, "ran");
    assert.equal(summary.points.study, 12 + 8);
    assert.equal(summary.results, 20);
    assert.match(run.stderr, /\[20\/20\] (acc|wf)\/\S+ /);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
}

Deno.test({
  name: "sweep --quick on a Fashion-MNIST subset writes results, CSV, charts and both reports",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await quickSweep();
    await t.step("results.jsonl holds both halves with plugin versions and timings", async () => {
      const lines = await stableResults(OUT);
      assert.equal(lines.length, 20);
      const acc = lines.filter((l) => l.half === "accuracy") as Array<{
        metrics: { accuracy: { top1: number; top1Quantized: number; baselineTop1: number } };
        plugins: Array<{ name: string; version: string }>;
      }>;
      assert.equal(acc.length, 8);
      for (const l of acc) {
        assert.ok(l.metrics.accuracy.top1 > 0.1, "above chance on real data");
        assert.ok(l.metrics.accuracy.baselineTop1 > 0.3);
        assert.ok(l.plugins.some((p) => p.name === "scnn" && /^\d+\.\d+\.\d+$/.test(p.version)));
      }
      const raw = (await Deno.readTextFile(join(OUT, "results.jsonl"))).split("\n")[0];
      const first = JSON.parse(raw);
      assert.equal(first.schema, "sparsegrain.results/1");
      assert.match(first.configHash, /^[0-9a-f]{16}$/);
      assert.ok(first.timings.totalMs >= 0);
    });
    await t.step("every file of the report is there", async () => {
      const files = [
        "study.json",
        "results.csv",
        "layers.csv",
        "report.md",
        "report.html",
        "results.md",
        ...CHARTS.flatMap((c) => [`${c}.vl.json`, `${c}.svg`]),
      ];
      for (const f of files) assert.ok(await exists(join(OUT, f)), f);
      const csv = (await Deno.readTextFile(join(OUT, "results.csv"))).trim().split("\n");
      assert.equal(csv.length, 21);
      assert.match(csv[0], /^point,half,model,granularity,/);
      const md = await Deno.readTextFile(join(OUT, "report.md"));
      assert.match(md, /### Iso-accuracy/);
      for (const c of CHARTS) assert.match(md, new RegExp(`\\(${c}\\.svg\\)`));
      const findings = await Deno.readTextFile(join(OUT, "results.md"));
      assert.match(findings, /^# Findings: e2e-tiny\n/);
      for (const q of ["Q1", "Q2", "Q3", "Q4"]) assert.match(findings, new RegExp(`#### ${q}\\. `));
      assert.match(
        findings,
        /## Where we agree and differ\n\n- \*\*Q1, convnet, vector and kernel\*\* — /,
      );
      assert.match(
        findings,
        /`deno task sweep --config tiny\.yaml --quick` writes `runs\/e2e-tiny-quick/,
      );
      assert.ok(!findings.includes(ROOT), "no absolute paths in results.md");
      for (const c of CHARTS) {
        const svg = await Deno.readTextFile(join(OUT, `${c}.svg`));
        assert.match(svg, /^<svg[^>]+width="\d+"/, c);
        assert.match(svg, /<path|<rect|<line/, c);
      }
    });
    await t.step("report re-renders the same files from results.jsonl", async () => {
      const before = await Deno.readTextFile(join(OUT, "results.csv"));
      const findings = await Deno.readTextFile(join(OUT, "results.md"));
      await Deno.remove(join(OUT, "report.html"));
      await Deno.remove(join(OUT, "results.md"));
      const run = await cli(["report", OUT]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(await Deno.readTextFile(join(OUT, "results.csv")), before);
      assert.equal(await Deno.readTextFile(join(OUT, "results.md")), findings);
      const html = await Deno.readTextFile(join(OUT, "report.html"));
      assert.match(
        html,
        /<a href="results\.md">results\.md<\/a>/,
        "report.html links the findings",
      );
    });
    await t.step({
      name: "report.html renders every chart with data in headless Chromium",
      ignore: !(await exists(CHROMIUM)),
      async fn() {
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        });
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
          const problems: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error") problems.push(m.text());
          });
          page.on("pageerror", (e) => problems.push(e.message));
          const requests: string[] = [];
          page.on("request", (r) => {
            if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) {
              requests.push(r.url());
            }
          });
          await page.goto(`file://${join(OUT, "report.html")}`);
          await page.waitForSelector(`body[data-charts="${CHARTS.length}"]`, { timeout: 60_000 });
          for (const c of CHARTS) {
            const marks = await page.locator(
              `#chart-${c} svg .mark-rect path, #chart-${c} svg .mark-line path, #chart-${c} svg .mark-symbol path, #chart-${c} svg .mark-rule line`,
            ).count();
            assert.ok(marks > 0, `chart ${c} has no marks`);
            assert.equal(await page.locator(`#chart-${c}`).getAttribute("data-rendered"), "true");
          }
          assert.ok(await page.locator("table tbody tr").count() > 10);
          await page.screenshot({ path: join(OUT, "report-html.png"), fullPage: true });
          assert.deepEqual(problems, [], "console errors");
          assert.deepEqual(requests, [], "the report must be self-contained");
        } finally {
          await browser.close();
        }
        assert.ok((await Deno.stat(join(OUT, "report-html.png"))).size > 10_000);
      },
    });
  },
});

/**
 * Renders Vega-Lite specs: static SVG through vega's `view.toSVG()`, and a self-contained HTML
 * page whose script (vega-embed with vega and vega-lite) is bundled by esbuild.
 *
 * @module
 */
import * as vega from "vega";
import { compile } from "vega-lite";
import type { Chart } from "./charts.ts";

/** Renders a Vega-Lite spec to an SVG document. */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  // deno-lint-ignore no-explicit-any
  const compiled = compile(spec as any).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const VIEWER_ENTRY = `
import embed from "vega-embed";
const specs = JSON.parse(document.getElementById("sparsegrain-specs").textContent);
const jobs = Object.entries(specs).map(([id, spec]) =>
  embed("#" + id, spec, {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
  }).then((result) => {
    document.getElementById(id).dataset.rendered = "true";
    return result;
  })
);
Promise.all(jobs).then(
  () => { document.body.dataset.charts = String(jobs.length); },
  (error) => { console.error("sparsegrain: a chart failed to render:", error); },
);
`;

let bundleCache: string | undefined;

/**
 * Bundles the report viewer (vega-embed, vega, vega-lite) into one IIFE with esbuild. Package
 * files are found through Deno's own module resolution, so the bundle uses the pinned versions.
 */
export async function viewerBundle(): Promise<string> {
  if (bundleCache) return bundleCache;
  const esbuild = await import("esbuild");
  const entry = new URL(import.meta.resolve("vega-embed"));
  try {
    const result = await esbuild.build({
      stdin: {
        contents: VIEWER_ENTRY,
        resolveDir: ".",
        loader: "js",
        sourcefile: "sparsegrain-report-viewer.js",
      },
      plugins: [{
        name: "deno-resolve",
        setup(build) {
          build.onResolve({ filter: /^vega-embed$/ }, () => ({ path: entry.pathname }));
        },
      }],
      bundle: true,
      write: false,
      format: "iife",
      minify: true,
      platform: "browser",
      target: "es2020",
      legalComments: "none",
      logLevel: "silent",
    });
    bundleCache = result.outputFiles[0].text;
    return bundleCache;
  } finally {
    await esbuild.stop();
  }
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

/** Builds the self-contained HTML report. `bodyHtml` holds the tables; charts are appended. */
export async function renderHtml(
  title: string,
  introHtml: string,
  charts: readonly Chart[],
  tablesHtml: string,
): Promise<string> {
  const bundle = await viewerBundle();
  const specs = Object.fromEntries(charts.map((c) => [`chart-${c.id}`, c.spec]));
  const sections = charts.map((c) =>
    `<section class="chart"><h2>${escapeHtml(c.title)}</h2><p>${
      escapeHtml(c.caption)
    }</p><div id="chart-${c.id}" class="vega"></div><p class="spec">Spec: <code>${c.id}.vl.json</code></p></section>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
th { background: #f3f3f3; }
td.text, th.text { text-align: left; }
.chart { margin: 2rem 0; overflow-x: auto; }
.spec { color: #666; font-size: 0.85rem; }
@media print { .vega-actions { display: none; } }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${introHtml}
${tablesHtml}
${sections}
<script type="application/json" id="sparsegrain-specs">${scriptJson(specs)}</script>
<script>${bundle.replace(/<\/script/gi, "<\\/script")}</script>
</body>
</html>
`;
}

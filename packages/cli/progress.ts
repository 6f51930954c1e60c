/**
 * Sweep progress on stderr: a live bar on a terminal, plain lines otherwise, with an ETA from
 * the points finished so far (separately per half, since trained points cost far more).
 *
 * @module
 */
import type { CliIO } from "./io.ts";

/** Receives sweep progress. */
export interface Progress {
  /**
   * Starts counting `total` points of which `done` are already finished, run by `workers`
   * threads at once (default 1; the ETA divides by it).
   */
  start(
    total: number,
    done: number,
    kinds: Readonly<Record<string, number>>,
    workers?: number,
  ): void;
  /** A point begins. */
  point(id: string, kind: string): void;
  /** The current point finished after `ms` milliseconds. */
  pointDone(id: string, kind: string, ms: number): void;
  /** Detail inside a point, e.g. a training epoch; `transient` details show on a live bar only. */
  detail(text: string, transient?: boolean): void;
  /** A message that must be seen (printed even with --quiet). */
  warn(text: string): void;
  /** Ends the bar. */
  finish(): void;
}

/** Formats milliseconds as `1h02m`, `3m05s` or `12.3s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Creates the progress printer. With `quiet`, only warnings are printed. */
export function createProgress(io: CliIO, options: { quiet?: boolean } = {}): Progress {
  const quiet = options.quiet ?? false;
  const live = io.errIsTerminal && !quiet;
  let total = 0;
  let finished = 0;
  let threads = 1;
  let current = "";
  let detailText = "";
  const remaining: Record<string, number> = {};
  const spent: Record<string, { ms: number; n: number }> = {};
  let barShown = false;

  // Kinds with no finished point yet are unknown: the ETA then counts the known kinds and ends
  // in "+" (e.g. while the accuracy chains run and the weight-free points wait).
  const eta = (): string => {
    let ms = 0;
    let unknown = false;
    for (const [kind, left] of Object.entries(remaining)) {
      if (left <= 0) continue;
      const s = spent[kind];
      if (!s || s.n === 0) unknown = true;
      else ms += (s.ms / s.n) * left;
    }
    if (!unknown) return formatDuration(ms / threads);
    return ms > 0 ? `${formatDuration(ms / threads)}+` : "?";
  };

  const clear = () => {
    if (barShown) io.writeErr("\r\x1b[2K");
    barShown = false;
  };

  const draw = () => {
    if (!live) return;
    const width = 24;
    const filled = total > 0 ? Math.round((finished / total) * width) : 0;
    const bar = "#".repeat(filled) + "-".repeat(width - filled);
    let text = `[${bar}] ${finished}/${total} ETA ${eta()} ${detailText || current}`;
    if (text.length > io.columns - 1) text = text.slice(0, io.columns - 2) + "…";
    io.writeErr(`\r\x1b[2K${text}`);
    barShown = true;
  };

  const line = (text: string) => {
    clear();
    io.writeErr(text + "\n");
    draw();
  };

  return {
    start(t, done, kinds, workers = 1) {
      total = t;
      threads = Math.max(1, workers);
      finished = done;
      Object.assign(remaining, kinds);
      if (quiet) return;
      if (done > 0) line(`Resuming: ${done} of ${t} points already done`);
      else if (!live) line(`Running ${t} points${threads > 1 ? ` on ${threads} workers` : ""}`);
      draw();
    },
    point(id) {
      current = id;
      detailText = "";
      draw();
    },
    pointDone(id, kind, ms) {
      finished++;
      remaining[kind] = (remaining[kind] ?? 1) - 1;
      const s = spent[kind] ??= { ms: 0, n: 0 };
      s.ms += ms;
      s.n++;
      current = "";
      detailText = "";
      if (quiet) return;
      if (live) draw();
      else {
        line(
          `[${String(finished).padStart(String(total).length)}/${total}] ${id} ${
            formatDuration(ms)
          }, ETA ${eta()}`,
        );
      }
    },
    detail(text, transient = false) {
      detailText = text;
      if (quiet) return;
      if (live) draw();
      else if (!transient) line(`  ${text}`);
    },
    warn(text) {
      line(text);
    },
    finish() {
      clear();
    },
  };
}

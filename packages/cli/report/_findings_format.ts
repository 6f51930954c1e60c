/**
 * Locale-independent number, duration and Markdown table formatting for results.md, so the same
 * results always print the same text.
 *
 * @module
 */

/**
 * `value` with `digits` decimals and `,` between thousands; `—` for a missing or non-finite
 * value; never `-0.00`.
 *
 * @param value The number, or undefined.
 * @param digits Decimals.
 * @returns The text.
 */
export function fixed(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return "—";
  const text = Math.abs(value).toFixed(digits);
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const negative = value < 0 && Number(text) !== 0;
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** Percent (already scaled to 0..100), 2 decimals. */
export function pct(value: number | undefined): string {
  return fixed(value, 2);
}

/** A ratio, 3 decimals. */
export function ratio(value: number | undefined): string {
  return fixed(value, 3);
}

/** Milliseconds as `12.3 s`, `4 min 05 s` or `1 h 02 min 03 s`. */
export function duration(ms: number): string {
  if (ms < 59_950) return `${fixed(ms / 1000, 1)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} min ${s} s` : `${m} min ${s} s`;
}

/** A Markdown table; the first `textColumns` columns align left, the rest right. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns: number,
): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  const rule = `|${header.map((_, i) => (i < textColumns ? "---" : "---:")).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** `lo–hi`, or one value when both print the same. */
export function span(values: readonly number[], format: (v: number) => string): string {
  if (values.length === 0) return "—";
  const lo = format(Math.min(...values));
  const hi = format(Math.max(...values));
  return lo === hi ? lo : `${lo}–${hi}`;
}

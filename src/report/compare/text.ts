import type { Comparison, Row } from "./model.js";

/** The terminal rendering: a config table of the keys that differ, then the metrics, one column per run. */
export function renderComparisonText(comparison: Comparison): string {
  const header = ["", ...comparison.runs.map((r) => r.id)];
  const lines = [`config: ${comparison.config.length} key(s) differ`];
  if (comparison.config.length > 0) lines.push(...table(header, comparison.config));
  lines.push("", "metrics (suite metrics: adapter score (difference from base [95 % CI]))");
  lines.push(...table(header, comparison.metrics));
  return lines.join("\n") + "\n";
}

function table(header: string[], rows: Row[]): string[] {
  const all = [header, ...rows.map((row) => [row.label, ...row.cells])];
  const widths = header.map((_, i) => Math.max(...all.map((cells) => (cells[i] ?? "").length)));
  return all.map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd()
      .replace(/^/, "  "),
  );
}

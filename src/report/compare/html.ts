import { escapeHtml as e } from "../html/escape.js";
import { STYLE } from "../html/style.js";
import { lineChart, type Series } from "../svg/line-chart.js";
import type { ComparedRun } from "./collect.js";
import type { Comparison, Row } from "./model.js";

// One color per run, beyond the report's own two series.
const RUN_COLORS = ["#2f6fdf", "#c0392b", "#1c7c3c", "#8e44ad", "#b5651d", "#16a085", "#7f8c8d", "#d35400"];
const COMPARE_STYLE = [
  ...RUN_COLORS.map(
    (color, i) =>
      `svg .run-${i} { stroke: ${color}; fill: ${color}; } svg line.run-${i}, svg polyline.run-${i} { fill: none; } ` +
      `.swatch.run-${i} { background: ${color}; }`,
  ),
  ".swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 6px; }",
  "td { overflow-wrap: anywhere; }",
].join("\n");

/** Runs are named "run 1", "run 2"… in charts (ids are too long for a legend); the tables show both. */
const runName = (i: number) => `run ${i + 1}`;
const runColor = (i: number) => `run-${i % RUN_COLORS.length}`;

/** A self-contained page (inline CSS and SVG, nothing fetched), like report.html: tables and loss curves. */
export function renderComparisonHtml(comparison: Comparison, runs: ComparedRun[]): string {
  const title = `Runs ${comparison.runs.map((r) => r.id).join(" vs ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}
${COMPARE_STYLE}</style></head>
<body><main>
<header><h1>${e(title)}</h1></header>
<section id="metrics"><h2>Metrics</h2><p class="note">Suite metrics: the adapter's score (its difference from the base model, with the paired bootstrap 95 % interval).</p>${table(comparison, comparison.metrics)}</section>
<section id="curves"><h2>Loss</h2>${curves(runs, "train loss", "loss")}${curves(runs, "eval loss", "eval_loss")}</section>
<section id="config"><h2>Config differences</h2>${comparison.config.length ? table(comparison, comparison.config) : "<p>The configs are the same.</p>"}</section>
<p class="note">Written by <code>pipeline runs compare</code>; secrets in the configs are redacted.</p>
</main></body></html>
`;
}

function table(comparison: Comparison, rows: Row[]): string {
  const head = comparison.runs
    .map(
      (r, i) => `<th scope="col"><span class="swatch ${runColor(i)}"></span>${runName(i)}<br>${e(r.id)}</th>`,
    )
    .join("");
  const body = rows.map(
    (row) =>
      `<tr><th scope="row">${e(row.label)}</th>${row.cells.map((c) => `<td>${e(c)}</td>`).join("")}</tr>`,
  );
  return `<div class="scroll"><table><thead><tr><th></th>${head}</tr></thead><tbody>${body.join("")}</tbody></table></div>`;
}

function curves(runs: ComparedRun[], label: string, curve: "loss" | "eval_loss"): string {
  const series: Series[] = runs.map((run, i) => ({
    name: runName(i),
    points: run.training?.curves[curve] ?? [],
    style: curve === "loss" ? "line" : "dots",
    className: runColor(i),
  }));
  return `<h3>${e(label)}</h3>${lineChart({ label: `${label} by step, one series per run`, yLabel: label, series })}`;
}

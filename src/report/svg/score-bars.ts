import type { MetricResult } from "../../eval/types.js";
import { escapeHtml } from "../html/escape.js";
import { formatScore } from "../numbers.js";
import { px } from "./axes.js";
import { linearScale, niceDomain, tickLabel } from "./scale.js";

const WIDTH = 640;
const LABEL = 150;
const RIGHT = 130;
const ROW = 74;
const BAR = 16;

/**
 * Base vs adapter per metric, each metric on its own scale (a pass rate and a latency share no axis). The
 * whisker on the adapter's bar is base + the 95 % interval of the paired difference: where the adapter's
 * score could plausibly lie, given the same cases.
 */
export function scoreBars(suite: string, metrics: MetricResult[]): string {
  const rows = metrics.map((m, i) => row(m, 8 + i * ROW));
  const height = 16 + metrics.length * ROW;
  return [
    `<svg class="chart bars" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(`scores of suite ${suite}`)}" xmlns="http://www.w3.org/2000/svg">`,
    ...rows,
    "</svg>",
  ].join("");
}

function row(m: MetricResult, top: number): string {
  const { domain, ticks } = rowScale(m);
  // A pass rate cannot leave [0, 1]; the interval is cut at the frame rather than widening it.
  const clamp = (v: number) => Math.min(domain[1], Math.max(domain[0], v));
  const [low, high] = [clamp(m.base + m.ci95[0]), clamp(m.base + m.ci95[1])];
  const x = linearScale(domain, [LABEL, WIDTH - RIGHT]);
  const baseY = top + 6;
  const adapterY = baseY + BAR + 4;
  const whiskerY = adapterY + BAR / 2;
  const axisY = adapterY + BAR + 6;
  return [
    `<g class="metric-row" data-metric="${escapeHtml(m.metric)}">`,
    `<text class="metric-name" x="8" y="${baseY + BAR}">${escapeHtml(m.metric)}</text>`,
    `<text class="metric-verdict verdict-${m.verdict}" x="8" y="${adapterY + BAR + 2}">${escapeHtml(m.verdict.replaceAll("-", " "))}</text>`,
    bar("base", m, m.base, x, baseY, x(m.base)),
    bar("adapter", m, m.adapter, x, adapterY, Math.max(x(m.adapter), x(high))),
    `<g class="whisker"><line x1="${px(x(low))}" y1="${whiskerY}" x2="${px(x(high))}" y2="${whiskerY}"/>`,
    `<line x1="${px(x(low))}" y1="${whiskerY - 6}" x2="${px(x(low))}" y2="${whiskerY + 6}"/>`,
    `<line x1="${px(x(high))}" y1="${whiskerY - 6}" x2="${px(x(high))}" y2="${whiskerY + 6}"/></g>`,
    `<line class="axis-line" x1="${LABEL}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}"/>`,
    ...ticks.map(
      (t) =>
        `<line class="tick" x1="${px(x(t))}" y1="${axisY}" x2="${px(x(t))}" y2="${axisY + 4}"/>` +
        `<text class="tick-label" x="${px(x(t))}" y="${axisY + 15}" text-anchor="middle">${m.kind === "binary" ? `${Math.round(100 * t)} %` : tickLabel(t)}</text>`,
    ),
    "</g>",
  ].join("");
}

function rowScale(m: MetricResult): { domain: [number, number]; ticks: number[] } {
  if (m.kind === "binary") return { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  const ends = [m.base, m.adapter, m.base + m.ci95[0], m.base + m.ci95[1]];
  return niceDomain(ends, { includeZero: true, count: 4 });
}

/** A bar from 0 to the value, and its label placed right of `labelAfter` (past the whisker, if any). */
function bar(
  which: "base" | "adapter",
  m: MetricResult,
  value: number,
  x: (v: number) => number,
  y: number,
  labelAfter: number,
) {
  const [from, to] = [Math.min(x(0), x(value)), Math.max(x(0), x(value))];
  const title = `${which}: ${formatScore(m, value)}`;
  return (
    `<rect class="bar bar-${which}" x="${px(from)}" y="${y}" width="${px(Math.max(to - from, 1))}" height="${BAR}"><title>${escapeHtml(title)}</title></rect>` +
    `<text class="bar-label" x="${px(Math.max(to, labelAfter) + 6)}" y="${y + BAR - 4}">${escapeHtml(`${which} ${formatScore(m, value)}`)}</text>`
  );
}

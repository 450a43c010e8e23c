import { escapeHtml } from "../html/escape.js";
import { formatNumber } from "../numbers.js";
import type { Point } from "../schema.js";
import { plotArea, px, xAxis, yAxis, type Frame } from "./axes.js";
import { linearScale, niceDomain } from "./scale.js";

export interface Series {
  name: string;
  points: Point[];
  /** line: a polyline through the points; dots: one circle per point (e.g. eval loss every N steps). */
  style: "line" | "dots";
  /** A CSS class giving its color (series-0, series-1, …). */
  className: string;
}

const FRAME: Frame = { width: 640, height: 260, left: 64, right: 16, top: 28, bottom: 42 };

/** An SVG chart of step → value series, with axes, ticks and a legend; empty series are left out. */
export function lineChart(options: { label: string; yLabel: string; series: Series[] }): string {
  const series = options.series.filter((s) => s.points.length > 0);
  const { x0, x1, y0, y1 } = plotArea(FRAME);
  const xs = niceDomain(
    series.flatMap((s) => s.points.map(([step]) => step)),
    { includeZero: true },
  );
  const ys = niceDomain(series.flatMap((s) => s.points.map(([, v]) => v)));
  const x = linearScale(xs.domain, [x0, x1]);
  const y = linearScale(ys.domain, [y0, y1]);
  const body = series.map((s) => (s.style === "line" ? polyline(s, x, y) : dots(s, x, y)));
  return [
    `<svg class="chart" viewBox="0 0 ${FRAME.width} ${FRAME.height}" role="img" aria-label="${escapeHtml(options.label)}" xmlns="http://www.w3.org/2000/svg">`,
    yAxis(FRAME, ys.ticks, y, options.yLabel),
    xAxis(FRAME, xs.ticks, x, "step"),
    ...body,
    legend(series),
    "</svg>",
  ].join("");
}

function polyline(s: Series, x: (v: number) => number, y: (v: number) => number): string {
  const points = s.points.map(([step, v]) => `${px(x(step))},${px(y(v))}`).join(" ");
  return `<polyline class="line ${s.className}" points="${points}"><title>${escapeHtml(s.name)}</title></polyline>`;
}

function dots(s: Series, x: (v: number) => number, y: (v: number) => number): string {
  const circles = s.points.map(
    ([step, v]) =>
      `<circle class="dot ${s.className}" cx="${px(x(step))}" cy="${px(y(v))}" r="4"><title>${escapeHtml(`${s.name} at step ${step}: ${formatNumber(v)}`)}</title></circle>`,
  );
  return `<g>${circles.join("")}</g>`;
}

function legend(series: Series[]): string {
  const items = series.map((s, i) => {
    const x = FRAME.left + 12 + i * 150;
    const mark =
      s.style === "line"
        ? `<line class="legend-line ${s.className}" x1="${x}" y1="14" x2="${x + 18}" y2="14"/>`
        : `<circle class="legend-dot ${s.className}" cx="${x + 9}" cy="14" r="4"/>`;
    return `${mark}<text class="legend" x="${x + 24}" y="18">${escapeHtml(s.name)}</text>`;
  });
  return `<g class="legend-items">${items.join("")}</g>`;
}

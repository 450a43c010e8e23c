import { escapeHtml } from "../html/escape.js";
import { tickLabel } from "./scale.js";

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plotting area of a frame, in pixels. */
export const plotArea = (f: Frame) => ({
  x0: f.left,
  x1: f.width - f.right,
  y0: f.height - f.bottom,
  y1: f.top,
});

/** x axis along the bottom: the line, a tick and label per value, and the axis name. */
export function xAxis(f: Frame, ticks: number[], x: (v: number) => number, label: string): string {
  const { x0, x1, y0 } = plotArea(f);
  const marks = ticks.map(
    (t) =>
      `<line class="tick" x1="${px(x(t))}" y1="${y0}" x2="${px(x(t))}" y2="${y0 + 5}"/>` +
      `<text class="tick-label" x="${px(x(t))}" y="${y0 + 18}" text-anchor="middle">${tickLabel(t)}</text>`,
  );
  return (
    `<g class="axis x-axis"><line class="axis-line" x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}"/>${marks.join("")}` +
    `<text class="axis-label" x="${px((x0 + x1) / 2)}" y="${f.height - 4}" text-anchor="middle">${escapeHtml(label)}</text></g>`
  );
}

/** y axis on the left, with faint grid lines across the plot at each tick. */
export function yAxis(f: Frame, ticks: number[], y: (v: number) => number, label: string): string {
  const { x0, x1, y0, y1 } = plotArea(f);
  const marks = ticks.map(
    (t) =>
      `<line class="grid" x1="${x0}" y1="${px(y(t))}" x2="${x1}" y2="${px(y(t))}"/>` +
      `<line class="tick" x1="${x0 - 5}" y1="${px(y(t))}" x2="${x0}" y2="${px(y(t))}"/>` +
      `<text class="tick-label" x="${x0 - 8}" y="${px(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
  );
  const mid = px((y0 + y1) / 2);
  return (
    `<g class="axis y-axis"><line class="axis-line" x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}"/>${marks.join("")}` +
    `<text class="axis-label" x="12" y="${mid}" text-anchor="middle" transform="rotate(-90 12 ${mid})">${escapeHtml(label)}</text></g>`
  );
}

/** Two decimals are finer than a pixel needs and keep the file small. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

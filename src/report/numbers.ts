import type { MetricResult as Metric } from "../eval/types.js";
import type { Report } from "./schema.js";

/** Pass/fail metrics read as percentages, real-valued ones with four significant digits. */
export function formatScore(metric: Pick<Metric, "kind">, value: number): string {
  return metric.kind === "binary" ? `${(100 * value).toFixed(1)} %` : formatNumber(value);
}

/** A difference: percentage points for pass/fail metrics, signed either way. */
export function formatDelta(metric: Pick<Metric, "kind">, value: number): string {
  const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
  const size = Math.abs(value);
  return metric.kind === "binary" ? `${sign}${(100 * size).toFixed(1)} pp` : `${sign}${formatNumber(size)}`;
}

export function formatInterval(metric: Pick<Metric, "kind">, [low, high]: [number, number]): string {
  return `[${formatDelta(metric, low)}, ${formatDelta(metric, high)}]`;
}

export function formatP(p: number): string {
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

export function formatNumber(value: number | null): string {
  if (value === null) return "—";
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) >= 1e5 || Math.abs(value) < 1e-3)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const VERDICT_LABEL: Record<Metric["verdict"], string> = {
  better: "better",
  worse: "worse",
  "no-significant-difference": "no significant difference",
};

export const OUTCOME_LABEL: Record<Report["outcome"]["status"], string> = {
  passed: "passed",
  "gates-failed": "trained, but a gate failed",
  "not-stored": "trained, but not all of it reached the store",
  failed: "failed",
  interrupted: "interrupted",
};

/** Every metric the adapter made significantly worse, across suites. */
export function regressions(report: Report): Metric[] {
  return report.suites.flatMap((s) => s.metrics.filter((m) => m.verdict === "worse"));
}

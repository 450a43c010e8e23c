/** A linear map from a data domain onto pixels (the range may run backwards, as y does in SVG). */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1; // a flat series still gets a scale
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** A round distance between ticks (1, 2 or 5 × 10^k) giving about `count` ticks over the span. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
}

/** The data extent widened to round tick values, so curves never touch the frame and ticks sit on its edges. */
export function niceDomain(values: number[], options: { includeZero?: boolean; count?: number } = {}) {
  const all = options.includeZero ? [...values, 0] : values;
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (!Number.isFinite(min) || !Number.isFinite(max))
    return { domain: [0, 1] as [number, number], ticks: [0, 1] };
  if (min === max) [min, max] = [min - (Math.abs(min) || 1) * 0.1, max + (Math.abs(max) || 1) * 0.1];
  const step = niceStep(max - min, options.count ?? 5);
  const low = Math.floor(min / step + 1e-9) * step;
  const high = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; low + i * step <= high + step * 1e-9; i++)
    ticks.push(Number((low + i * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks.at(-1)!] as [number, number], ticks };
}

/** Tick labels short enough for an axis. */
export function tickLabel(value: number): string {
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e5 || size < 1e-3) return Number(value.toPrecision(3)).toExponential(); // 1.5e-4, not 2e-4
  return String(Number(value.toPrecision(3)));
}

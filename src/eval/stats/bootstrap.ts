import { differences, mean, mulberry32 } from "./prng.js";

export interface ResampleOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Paired bootstrap 95 % confidence interval of mean(adapter − base): resample the cases (pairs kept
 * together) with replacement, take each resample's mean difference, and read the 2.5th and 97.5th
 * percentiles (percentile method, linear interpolation between order statistics). No cases: [0, 0].
 */
export function pairedBootstrap(
  base: readonly number[],
  adapter: readonly number[],
  { resamples = 10_000, seed = 0 }: ResampleOptions = {},
): [number, number] {
  const diffs = differences(base, adapter);
  const n = diffs.length;
  if (n === 0) return [0, 0];
  const random = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  // A constant difference gives identical means; report it exactly rather than a rounding of it.
  if (means[0] === means[resamples - 1]) return [mean(diffs), mean(diffs)];
  return [quantile(means, 0.025), quantile(means, 0.975)];
}

/** The q-quantile of sorted values, interpolating linearly between neighbours (R's type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const weight = position - below;
  return sorted[below]! * (1 - weight) + sorted[above]! * weight;
}

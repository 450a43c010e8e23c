import { type ResampleOptions } from "./bootstrap.js";
import { differences, mean, mulberry32 } from "./prng.js";

// Up to 2^12 = 4096 sign patterns the test is exact; beyond, it samples `resamples` of them.
const EXACT_UP_TO = 12;

/**
 * Paired sign-flip permutation test for continuous metrics. Under "no difference" each case's
 * adapter − base is as likely to have either sign, so the p-value (two-sided) is the share of sign
 * patterns whose mean is at least as far from 0 as the observed one. Exact enumeration for n ≤ 12;
 * otherwise seeded Monte Carlo with the usual (1 + hits) / (1 + resamples), which is never 0.
 */
export function signFlipTest(
  base: readonly number[],
  adapter: readonly number[],
  { resamples = 10_000, seed = 0 }: ResampleOptions = {},
): number {
  const diffs = differences(base, adapter);
  const n = diffs.length;
  if (n === 0) return 1;
  // A tolerance, so patterns that tie the observed mean up to rounding count as "at least as far".
  const observed = Math.abs(mean(diffs)) - 1e-12;
  if (n <= EXACT_UP_TO) return exactSignFlip(diffs, observed);
  const random = mulberry32(seed);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (const d of diffs) sum += random() < 0.5 ? -d : d;
    if (Math.abs(sum / n) >= observed) hits++;
  }
  return (1 + hits) / (1 + resamples);
}

function exactSignFlip(diffs: readonly number[], observed: number): number {
  const patterns = 2 ** diffs.length;
  let hits = 0;
  for (let mask = 0; mask < patterns; mask++) {
    let sum = 0;
    diffs.forEach((d, i) => (sum += mask & (1 << i) ? -d : d));
    if (Math.abs(sum / diffs.length) >= observed) hits++;
  }
  return hits / patterns;
}

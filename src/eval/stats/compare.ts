import type { MetricKind, MetricResult } from "../types.js";
import { pairedBootstrap } from "./bootstrap.js";
import { mcnemar } from "./mcnemar.js";
import { differences, mean } from "./prng.js";
import { signFlipTest } from "./sign-flip.js";

export const ALPHA = 0.05;

export interface CompareInput {
  suite: string;
  metric: string;
  kind: MetricKind;
  higherIsBetter: boolean;
  /** Per-case scores; base[i] and adapter[i] are the same case. */
  base: readonly number[];
  adapter: readonly number[];
  seed?: number;
  resamples?: number;
}

/**
 * Base vs adapter on one metric: means, difference, paired bootstrap 95 % CI, and a paired test —
 * McNemar for pass/fail metrics, the sign-flip permutation test for continuous ones. The verdict is
 * "better"/"worse" only when p < 0.05, in the direction higherIsBetter says. Cases where either side
 * has no score (NaN, e.g. no loss) are left out of every number.
 */
export function compareMetric(input: CompareInput): MetricResult {
  const { base, adapter } = pairedFinite(input.base, input.adapter);
  const options = { seed: input.seed ?? 0, resamples: input.resamples ?? 10_000 };
  const n = base.length;
  // The mean of per-case differences (not the difference of means): the same number the CI is about.
  const difference = mean(differences(base, adapter));
  const test = n === 0 ? "none" : input.kind === "binary" ? "mcnemar" : "sign-flip";
  const pValue =
    test === "none"
      ? 1
      : test === "mcnemar"
        ? mcnemar(base, adapter).pValue
        : signFlipTest(base, adapter, options);
  return {
    suite: input.suite,
    metric: input.metric,
    kind: input.kind,
    higherIsBetter: input.higherIsBetter,
    n,
    base: mean(base),
    adapter: mean(adapter),
    difference,
    ci95: pairedBootstrap(base, adapter, options),
    pValue,
    test,
    verdict: verdict(pValue, difference, input.higherIsBetter),
  };
}

function verdict(pValue: number, difference: number, higherIsBetter: boolean): MetricResult["verdict"] {
  if (!(pValue < ALPHA) || difference === 0) return "no-significant-difference";
  return difference > 0 === higherIsBetter ? "better" : "worse";
}

function pairedFinite(base: readonly number[], adapter: readonly number[]) {
  const keep = base.map((b, i) => Number.isFinite(b) && Number.isFinite(adapter[i]));
  return { base: base.filter((_, i) => keep[i]), adapter: adapter.filter((_, i) => keep[i]) };
}

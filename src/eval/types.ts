/**
 * The eval stage's shared shapes: what scorers return per case, and what the statistics make of base vs
 * adapter for one metric. report.json carries MetricResults as they are.
 */

/** One generation to score (base or adapter), as docker/generate.py writes it. */
export interface ScorerInput {
  index: number;
  prompt: string;
  reference: string;
  output: string;
  latency_s: number;
  new_tokens: number;
  /** Mean NLL of the reference tokens given the prompt (generate.py); absent when it was not computed. */
  loss?: number | null;
  /** Preference pairs only: summed log-probabilities of the chosen and the rejected answer (generate.py). */
  logp_chosen?: number | null;
  logp_rejected?: number | null;
}

/** A scorer turns one case into a number: 0/1 for pass/fail metrics, a real value otherwise. */
export type MetricKind = "binary" | "continuous";

export interface MetricResult {
  suite: string;
  metric: string;
  kind: MetricKind;
  /** false for latency, loss, perplexity. */
  higherIsBetter: boolean;
  n: number;
  base: number;
  adapter: number;
  /** adapter − base. */
  difference: number;
  /** Paired bootstrap 95 % confidence interval of the difference. */
  ci95: [number, number];
  /** Of the paired test named in `test`. */
  pValue: number;
  /**
   * mcnemar: pass/fail metrics; sign-flip: the paired sign-flip permutation test (continuous metrics);
   * paired-bootstrap: kept for results that used a bootstrap p-value; none: no cases to compare.
   */
  test: "mcnemar" | "sign-flip" | "paired-bootstrap" | "none";
  verdict: "better" | "worse" | "no-significant-difference";
}

/** Cases counted by McNemar's test, and its two-sided p-value. */
export interface McNemarResult {
  /** Base passes, adapter fails. */
  b: number;
  /** Adapter passes, base fails. */
  c: number;
  pValue: number;
  method: "exact" | "chi-square";
}

// Up to this many discordant pairs the exact binomial test is used; the chi-square approximation is
// poor for small counts.
const EXACT_UP_TO = 25;

/**
 * McNemar's test on paired pass/fail scores (0/1). Only discordant pairs matter: under "no difference"
 * each is as likely to favour either model, so min(b, c) ~ Binomial(b + c, ½).
 * - b + c ≤ 25: exact two-sided binomial p = min(1, 2 · P(X ≤ min(b, c))).
 * - otherwise: χ² = (|b − c| − 1)² / (b + c) with Yates' continuity correction, 1 degree of freedom,
 *   p = P(χ²₁ ≥ χ²) = erfc(√(χ²/2)).
 * No discordant pairs: p = 1.
 */
export function mcnemar(base: readonly number[], adapter: readonly number[]): McNemarResult {
  if (base.length !== adapter.length) throw new Error("paired scores differ in length");
  let b = 0;
  let c = 0;
  base.forEach((score, i) => {
    const other = adapter[i]!;
    if (!isBinary(score) || !isBinary(other))
      throw new Error(`McNemar needs 0/1 scores, got ${score}/${other}`);
    if (score === 1 && other === 0) b++;
    if (score === 0 && other === 1) c++;
  });
  const n = b + c;
  if (n <= EXACT_UP_TO)
    return { b, c, pValue: Math.min(1, 2 * binomialCdfHalf(Math.min(b, c), n)), method: "exact" };
  const chi2 = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, pValue: erfc(Math.sqrt(chi2 / 2)), method: "chi-square" };
}

function isBinary(value: number): boolean {
  return value === 0 || value === 1;
}

/** P(X ≤ k) for X ~ Binomial(n, ½); exact in doubles for the small n it is used with. */
export function binomialCdfHalf(k: number, n: number): number {
  let term = 1; // C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum / 2 ** n;
}

/**
 * Complementary error function, fractional error < 1.2e-7 everywhere (Numerical Recipes' erfcc,
 * a Chebyshev fit) — far finer than a p-value needs.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(poly);
  return x >= 0 ? value : 2 - value;
}

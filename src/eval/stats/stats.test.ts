import { describe, expect, it } from "vitest";
import { pairedBootstrap, quantile } from "./bootstrap.js";
import { compareMetric } from "./compare.js";
import { binomialCdfHalf, erfc, mcnemar } from "./mcnemar.js";
import { mulberry32 } from "./prng.js";
import { signFlipTest } from "./sign-flip.js";

const pairs = (b: number, c: number, same = 0) => ({
  // b cases base-only right, c adapter-only right, `same` where both are right.
  base: [...Array<number>(b).fill(1), ...Array<number>(c).fill(0), ...Array<number>(same).fill(1)],
  adapter: [...Array<number>(b).fill(0), ...Array<number>(c).fill(1), ...Array<number>(same).fill(1)],
});

describe("mcnemar", () => {
  it("counts discordant pairs and gives the exact binomial p for b + c ≤ 25", () => {
    // b=10, c=2: 2 · (C(12,0)+C(12,1)+C(12,2)) / 2^12 = 2 · 79/4096 = 0.0385742…
    const { base, adapter } = pairs(10, 2, 5);
    const result = mcnemar(base, adapter);
    expect(result).toMatchObject({ b: 10, c: 2, method: "exact" });
    expect(result.pValue).toBeCloseTo(158 / 4096, 12);
    expect(result.pValue.toFixed(4)).toBe("0.0386");
  });
  it("uses chi-square with continuity correction above 25 discordant pairs", () => {
    // b=30, c=10: χ² = (20 − 1)² / 40 = 9.025, p = erfc(√4.5125) = 0.0026631 (Python's math.erfc)
    const { base, adapter } = pairs(30, 10);
    const result = mcnemar(base, adapter);
    expect(result.method).toBe("chi-square");
    expect(result.pValue).toBeCloseTo(0.002663119, 6);
  });
  it("is 1 with no or balanced disagreements, and refuses non-binary scores", () => {
    expect(mcnemar([1, 0], [1, 0]).pValue).toBe(1);
    expect(mcnemar(...(Object.values(pairs(3, 3)) as [number[], number[]])).pValue).toBe(1);
    expect(() => mcnemar([0.5], [1])).toThrow(/0\/1/);
  });
  it("has exact helpers", () => {
    expect(binomialCdfHalf(0, 3)).toBe(1 / 8);
    expect(binomialCdfHalf(3, 3)).toBe(1);
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
  });
});

describe("pairedBootstrap", () => {
  it("gives a zero-width interval at a constant difference", () => {
    expect(pairedBootstrap([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5], { seed: 1 })).toEqual([0.5, 0.5]);
  });
  it("is deterministic for a seed and brackets the mean difference", () => {
    const base = [0, 0, 1, 0, 1, 0, 0, 1, 0, 0];
    const adapter = [1, 1, 1, 0, 1, 1, 0, 1, 1, 0];
    const first = pairedBootstrap(base, adapter, { seed: 7 });
    expect(pairedBootstrap(base, adapter, { seed: 7 })).toEqual(first);
    expect(first[0]).toBeLessThan(0.4);
    expect(first[1]).toBeGreaterThan(0.4);
    // Differences are 0/1 with mean 0.4 over 10 cases: the resampled means are multiples of 0.1.
    expect(first[0]).toBeGreaterThanOrEqual(0);
    expect(first[1]).toBeLessThanOrEqual(0.8);
  });
  it("matches the percentile of the resampled means on a two-case example", () => {
    // With differences [0, 1] each resample mean is 0, 0.5 or 1 with probabilities ¼, ½, ¼,
    // so the 2.5th percentile is 0 and the 97.5th is 1.
    expect(pairedBootstrap([0, 0], [0, 1], { seed: 3 })).toEqual([0, 1]);
  });
  it("interpolates quantiles as R's type 7", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.025)).toBe(0.25);
  });
});

describe("signFlipTest", () => {
  it("is exact for small n", () => {
    // Differences 1, 2, 3: of the 8 sign patterns only +++ and −−− reach |sum| ≥ 6, so p = 2/8.
    expect(signFlipTest([0, 0, 0], [1, 2, 3])).toBe(0.25);
    expect(signFlipTest([1, 2], [1, 2])).toBe(1);
  });
  it("samples with a seed for large n and finds a clear shift", () => {
    const base = Array.from({ length: 40 }, (_, i) => i % 7);
    const adapter = base.map((b) => b + 1);
    const p = signFlipTest(base, adapter, { seed: 1, resamples: 2000 });
    expect(p).toBe(1 / 2001);
    expect(signFlipTest(base, base, { seed: 1, resamples: 2000 })).toBe(1);
  });
});

describe("compareMetric", () => {
  const common = { suite: "s", metric: "m", seed: 1 };
  it("calls a binary improvement better, with McNemar", () => {
    const { base, adapter } = pairs(2, 10, 5);
    const result = compareMetric({ ...common, kind: "binary", higherIsBetter: true, base, adapter });
    expect(result).toMatchObject({ n: 17, test: "mcnemar", verdict: "better" });
    expect(result.difference).toBeCloseTo(8 / 17, 12);
    expect(result.pValue).toBeCloseTo(158 / 4096, 12);
  });
  it("respects lower-is-better metrics", () => {
    const base = Array.from({ length: 20 }, (_, i) => 2 + (i % 3));
    const adapter = base.map((b) => b - 1);
    const result = compareMetric({ ...common, kind: "continuous", higherIsBetter: false, base, adapter });
    expect(result).toMatchObject({ test: "sign-flip", verdict: "better", difference: -1, ci95: [-1, -1] });
    const worse = compareMetric({ ...common, kind: "continuous", higherIsBetter: true, base, adapter });
    expect(worse.verdict).toBe("worse");
  });
  it("finds no significant difference in a small noisy sample, and skips NaN cases", () => {
    const result = compareMetric({
      ...common,
      kind: "continuous",
      higherIsBetter: true,
      base: [0.2, 0.5, Number.NaN, 0.4],
      adapter: [0.3, 0.4, 0.9, 0.6],
    });
    expect(result).toMatchObject({ n: 3, verdict: "no-significant-difference" });
  });
  it("has no test without cases", () => {
    const result = compareMetric({ ...common, kind: "binary", higherIsBetter: true, base: [], adapter: [] });
    expect(result).toMatchObject({ n: 0, test: "none", pValue: 1, verdict: "no-significant-difference" });
  });
});

describe("mulberry32", () => {
  it("is deterministic and within [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

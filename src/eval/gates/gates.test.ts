import { describe, expect, it } from "vitest";
import type { MetricResult } from "../types.js";
import { evaluateGates, parseGateFlag } from "./evaluate.js";
import { GateExpressionText, parseGateExpression } from "../../config/gate-expression.js";

const metric = (suite: string, name: string, base: number, adapter: number): MetricResult => ({
  suite,
  metric: name,
  kind: "binary",
  higherIsBetter: true,
  n: 10,
  base,
  adapter,
  difference: adapter - base,
  ci95: [0, 0],
  pValue: 1,
  test: "mcnemar",
  verdict: "no-significant-difference",
});

describe("parseGateExpression", () => {
  it("parses base-relative and absolute thresholds", () => {
    expect(parseGateExpression(">= base + 0.05")).toEqual({ op: ">=", relativeTo: "base", offset: 0.05 });
    expect(parseGateExpression("<=base")).toEqual({ op: "<=", relativeTo: "base", offset: 0 });
    expect(parseGateExpression("< base - 0.1")).toEqual({ op: "<", relativeTo: "base", offset: -0.1 });
    expect(parseGateExpression(">= 0.99")).toEqual({ op: ">=", relativeTo: null, offset: 0.99 });
    expect(parseGateExpression("== -1e-3")).toEqual({ op: "==", relativeTo: null, offset: -0.001 });
    expect(parseGateExpression(">= champion - 0.01")).toEqual({
      op: ">=",
      relativeTo: "champion",
      offset: -0.01,
    });
  });
  it("refuses anything else with a message", () => {
    for (const bad of ["base + 0.05", ">= basis", "=> 0.5", ">= base * 2", ">= 0.5 + base", ""]) {
      expect(parseGateExpression(bad)).toMatch(/^invalid gate/);
    }
    expect(GateExpressionText.safeParse(">= nope").success).toBe(false);
  });
});

describe("evaluateGates", () => {
  const metrics = [metric("a", "exact_match", 0.5, 0.55), metric("b", "exact_match", 0.2, 0.1)];
  it("checks a bare metric in every suite, with rounding tolerance", () => {
    expect(evaluateGates({ exact_match: ">= base + 0.05" }, metrics)).toEqual([
      {
        metric: "exact_match",
        suite: "a",
        expression: ">= base + 0.05",
        actual: 0.55,
        threshold: 0.55,
        passed: true,
      },
      {
        metric: "exact_match",
        suite: "b",
        expression: ">= base + 0.05",
        actual: 0.1,
        threshold: 0.25,
        passed: false,
      },
    ]);
  });
  it("checks one suite's metric, and fails a gate on a metric nobody produced", () => {
    const results = evaluateGates({ "b/exact_match": "<= base", json_valid: ">= 0.99" }, metrics);
    expect(results.map((r) => [r.suite, r.passed])).toEqual([
      ["b", true],
      [null, false],
    ]);
  });
});

describe("evaluateGates against a champion", () => {
  // The challenger scores 0.55 on suite a; the champion's comparison carries the champion's value as `base`.
  const metrics = [metric("a", "exact_match", 0.5, 0.55)];
  it("compares with the champion's value on the same suite and metric", () => {
    const champion = [metric("a", "exact_match", 0.6, 0.55)];
    const [strict] = evaluateGates({ exact_match: ">= champion" }, metrics, champion);
    expect(strict).toMatchObject({ suite: "a", actual: 0.55, threshold: 0.6, passed: false });
    const [lenient] = evaluateGates({ exact_match: ">= champion - 0.05" }, metrics, champion);
    expect(lenient?.threshold).toBeCloseTo(0.55, 12);
    expect(lenient?.passed).toBe(true);
  });
  it("fails a champion gate when no champion was measured for that suite", () => {
    const [result] = evaluateGates({ exact_match: ">= champion - 0.5" }, metrics, []);
    expect(result).toMatchObject({ suite: "a", actual: 0.55, threshold: null, passed: false });
  });
});

describe("parseGateFlag", () => {
  it("splits at the first colon", () => {
    expect(parseGateFlag("exact_match: >= base + 0.05")).toEqual(["exact_match", ">= base + 0.05"]);
    expect(parseGateFlag("demo/rouge_l:>=0.3")).toEqual(["demo/rouge_l", ">=0.3"]);
  });
  it("refuses a flag without a metric or with a bad expression", () => {
    expect(() => parseGateFlag(">= 0.5")).toThrow(/expected `metric: expression`/);
    expect(() => parseGateFlag("exact_match: at least 0.5")).toThrow(/invalid gate/);
  });
});

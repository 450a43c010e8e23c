import { describe, expect, it } from "vitest";
import { firstJsonObject, parseVerdict } from "./judge-verdict.js";

describe("parseVerdict", () => {
  it("reads a bare JSON verdict", () => {
    expect(parseVerdict('{"score": 8, "reason": "correct"}')).toEqual({
      ok: true,
      verdict: { score: 8, reason: "correct" },
    });
  });
  it("finds the verdict inside prose and code fences, skipping braces that are not JSON", () => {
    const reply =
      'Thinking {about it}.\n```json\n{"score": 3, "reason": "uses {braces} and \\"quotes\\""}\n```';
    expect(parseVerdict(reply)).toEqual({
      ok: true,
      verdict: { score: 3, reason: 'uses {braces} and "quotes"' },
    });
  });
  it("accepts a quoted number and a missing reason", () => {
    expect(parseVerdict('{"score": "10"}')).toEqual({ ok: true, verdict: { score: 10, reason: "" } });
  });
  it("rejects scores outside 1–10 or not numbers, naming the field", () => {
    for (const reply of [
      '{"score": 0}',
      '{"score": 11}',
      '{"score": true}',
      '{"score": "high"}',
      '{"reason": "x"}',
    ]) {
      const parsed = parseVerdict(reply);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(/^score: /);
    }
  });
  it("says when there is no JSON object at all", () => {
    const parsed = parseVerdict("I'd give it a 7 out of 10");
    expect(parsed).toEqual({
      ok: false,
      problem: expect.stringContaining("no JSON object in the reply") as string,
    });
  });
});

describe("firstJsonObject", () => {
  it("ignores arrays and unbalanced braces", () => {
    expect(firstJsonObject('[{"a": 1}]')).toEqual({ a: 1 });
    expect(firstJsonObject('{"a": 1')).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { exactMatch, exactMatchScorer } from "./exact-match.js";
import { score } from "./test-helpers.js";

describe("exactMatch", () => {
  it("ignores surrounding whitespace only", () => {
    expect(exactMatch(' {"a": 1}\n', '{"a": 1}')).toBe(1);
    expect(exactMatch('{"a":1}', '{"a": 1}')).toBe(0);
  });
  it("optionally ignores case", () => {
    expect(exactMatch("Paris", "paris")).toBe(0);
    expect(exactMatch("Paris", "paris", { ignoreCase: true })).toBe(1);
  });
});

describe("exact_match scorer", () => {
  it("collapses inner whitespace by default, and nothing else", () => {
    expect(score(exactMatchScorer, {}, "red  fox\n", "red fox")).toBe(1);
    expect(score(exactMatchScorer, {}, "Red fox", "red fox")).toBe(0);
    expect(score(exactMatchScorer, { normalize_whitespace: false }, "red  fox", "red fox")).toBe(0);
  });
  it("ignores case and punctuation when asked", () => {
    expect(score(exactMatchScorer, { ignore_case: true }, "Red Fox", "red fox")).toBe(1);
    expect(score(exactMatchScorer, { strip_punctuation: true }, "red fox.", "red fox")).toBe(1);
    expect(score(exactMatchScorer, { strip_punctuation: true }, "red, fox!", "red fox")).toBe(1);
    expect(score(exactMatchScorer, {}, "red fox.", "red fox")).toBe(0);
  });
  it("refuses unknown options", () => {
    expect(exactMatchScorer.options.safeParse({ ignorecase: true }).success).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { lcsLength, rougeL } from "./rouge-l.js";
import { rougeTokens, squadTokens } from "./text.js";
import { tokenF1 } from "./token-f1.js";

describe("rouge_l", () => {
  it("tokenizes into lower-cased letter/digit runs", () => {
    expect(rougeTokens("Hello, World! it's 42")).toEqual(["hello", "world", "it", "s", "42"]);
  });

  it("matches a worked example computed by hand", () => {
    // reference: the cat sat on the mat        → 6 tokens
    // output:    A cat sat on the red mat.     → a cat sat on the red mat: 7 tokens
    // LCS = cat sat on the mat = 5 (the reference's first "the" has no partner before "cat")
    // P = 5/7, R = 5/6, F1 = 2PR/(P+R) = (50/42) / (65/42) = 50/65 = 10/13 ≈ 0.769231
    expect(lcsLength("a cat sat on the red mat".split(" "), "the cat sat on the mat".split(" "))).toBe(5);
    expect(rougeL("A cat sat on the red mat.", "the cat sat on the mat")).toBeCloseTo(10 / 13, 12);
  });

  it("is 1 for identical token lists and 0 for disjoint ones", () => {
    expect(rougeL("Red fox!", "red, fox")).toBe(1);
    expect(rougeL("blue whale", "red fox")).toBe(0);
    expect(rougeL("", "")).toBe(1);
    expect(rougeL("", "red")).toBe(0);
  });

  it("weighs recall by beta", () => {
    // LCS 1, P = 1/2, R = 1: F(β=2) = 5·(1/2)·1 / (1 + 4·1/2) = 2.5 / 3
    expect(rougeL("red fox", "red", 2)).toBeCloseTo(2.5 / 3, 12);
  });
});

describe("token_f1", () => {
  it("normalizes as SQuAD does", () => {
    expect(squadTokens("The Eiffel  Tower, in an old city.")).toEqual([
      "eiffel",
      "tower",
      "in",
      "old",
      "city",
    ]);
  });
  it("matches hand-computed values", () => {
    // [eiffel tower in paris] vs [eiffel tower]: common 2, P = 1/2, R = 1, F1 = 2/3
    expect(tokenF1("The Eiffel tower, in Paris", "Eiffel Tower")).toBeCloseTo(2 / 3, 12);
    // multisets: [red red fox] vs [red fox fox] share one red and one fox: P = R = 2/3
    expect(tokenF1("red red fox", "red fox fox")).toBeCloseTo(2 / 3, 12);
    expect(tokenF1("the", "a")).toBe(1);
    expect(tokenF1("blue", "red")).toBe(0);
  });
});

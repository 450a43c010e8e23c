import { describe, expect, it } from "vitest";
import { parseEvalSplit, parseSeed } from "./options.js";

describe("flag parsing", () => {
  it("accepts eval splits in [0, 1)", () => {
    expect(parseEvalSplit("0")).toBe(0);
    expect(parseEvalSplit("0.1")).toBe(0.1);
    for (const bad of ["1", "-0.1", "abc", "", "NaN", "1.5"]) {
      expect(() => parseEvalSplit(bad)).toThrow(
        expect.objectContaining({ code: "bad-eval-split", exitCode: 2 }),
      );
    }
  });

  it("accepts whole non-negative seeds", () => {
    expect(parseSeed("42")).toBe(42);
    for (const bad of ["-1", "1.5", "x", ""])
      expect(() => parseSeed(bad)).toThrow(expect.objectContaining({ code: "bad-seed" }));
  });
});

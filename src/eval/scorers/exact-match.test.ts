import { describe, expect, it } from "vitest";
import { exactMatch } from "./exact-match.js";

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

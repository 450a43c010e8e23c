import { describe, expect, it } from "vitest";
import { pickDisagreements } from "./disagreements.js";

const gen = (index: number, output: string) => ({
  index,
  prompt: `p${index}`,
  reference: `r${index}`,
  output,
  latency_s: 0.1,
  new_tokens: 3,
});

describe("pickDisagreements", () => {
  const base = [gen(0, "a"), gen(1, "b"), gen(2, "c "), gen(3, "d")];
  const adapter = [gen(0, "a"), gen(1, "B"), gen(2, "c"), gen(3, "D")];

  it("keeps the cases whose outputs differ (beyond surrounding whitespace), up to the limit", () => {
    expect(pickDisagreements(base, adapter, 10).map((d) => d.index)).toEqual([1, 3]);
    expect(pickDisagreements(base, adapter, 1)).toEqual([
      { index: 1, prompt: "p1", reference: "r1", base: "b", adapter: "B" },
    ]);
  });

  it("puts the cases where one passed and the other failed first", () => {
    const scores = { base: [1, 0.5, 1, 0], adapter: [1, 0.5, 1, 1] };
    expect(pickDisagreements(base, adapter, 10, scores).map((d) => d.index)).toEqual([3, 1]);
  });
});

import { describe, expect, it } from "vitest";
import type { CanonicalRecord } from "../types.js";
import { isEval } from "./split.js";

const record = (i: number): CanonicalRecord => ({
  kind: "chat",
  messages: [
    { role: "user", content: `question ${i}` },
    { role: "assistant", content: `answer ${i}` },
  ],
});
const records = Array.from({ length: 10_000 }, (_, i) => record(i));
const evalSet = (rows: CanonicalRecord[], seed: number, fraction: number) =>
  new Set(rows.filter((r) => isEval(r, seed, fraction)).map((r) => JSON.stringify(r)));

describe("isEval", () => {
  it("holds out close to the fraction", () => {
    const share = evalSet(records, 42, 0.1).size / records.length;
    expect(share).toBeGreaterThan(0.085);
    expect(share).toBeLessThan(0.115);
  });

  it("is the same for the same seed, whatever the row order, and differs for another seed", () => {
    const forward = evalSet(records, 42, 0.1);
    const backward = evalSet([...records].reverse(), 42, 0.1);
    expect(backward).toEqual(forward);
    const other = evalSet(records, 43, 0.1);
    const same = [...other].filter((key) => forward.has(key)).length;
    expect(same / forward.size).toBeLessThan(0.2);
  });

  it("keeps duplicates (equal after whitespace normalization) on one side", () => {
    const twins = records.slice(0, 1000).map((r) => {
      const copy = structuredClone(r) as Extract<CanonicalRecord, { kind: "chat" }>;
      copy.messages[0]!.content = `  ${copy.messages[0]!.content.replace(" ", "\n\t ")} `;
      return copy;
    });
    twins.forEach((twin, i) => expect(isEval(twin, 7, 0.3)).toBe(isEval(records[i]!, 7, 0.3)));
  });

  it("depends on content only: key order and absent fields do not matter, values do", () => {
    const a: CanonicalRecord = { kind: "text", text: "x" };
    const b = { text: "x", tools: undefined, kind: "text" } as CanonicalRecord;
    const sides = (r: CanonicalRecord) => [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => isEval(r, seed, 0.5));
    expect(sides(b)).toEqual(sides(a));
    expect(sides({ kind: "text", text: "y" })).not.toEqual(sides(a));
  });

  it("holds out nothing at 0", () => {
    expect(evalSet(records, 42, 0).size).toBe(0);
  });
});

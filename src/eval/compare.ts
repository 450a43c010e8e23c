import type { Generation } from "./generate.js";
import { exactMatch } from "./scorers/exact-match.js";

export interface ExactMatchComparison {
  n: number;
  base: number;
  adapter: number;
  /** Cases where one model is right and the other is not, for the report. */
  disagreements: { index: number; prompt: string; reference: string; base: string; adapter: string }[];
}

/** Scores base and adapter generations of the same cases with exact match, pairing them by index. */
export function compareExactMatch(base: Generation[], adapter: Generation[]): ExactMatchComparison {
  const byIndex = new Map(adapter.map((g) => [g.index, g]));
  let baseHits = 0;
  let adapterHits = 0;
  const disagreements: ExactMatchComparison["disagreements"] = [];
  for (const b of base) {
    const a = byIndex.get(b.index);
    if (!a) continue;
    const sb = exactMatch(b.output, b.reference);
    const sa = exactMatch(a.output, a.reference);
    baseHits += sb;
    adapterHits += sa;
    if (sb !== sa) {
      disagreements.push({
        index: b.index,
        prompt: b.prompt,
        reference: b.reference,
        base: b.output,
        adapter: a.output,
      });
    }
  }
  const n = base.filter((b) => byIndex.has(b.index)).length;
  return { n, base: n ? baseHits / n : 0, adapter: n ? adapterHits / n : 0, disagreements };
}

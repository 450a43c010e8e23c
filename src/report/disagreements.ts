import type { ScorerInput } from "../eval/types.js";
import type { Disagreement } from "./schema.js";

/**
 * Cases where base and adapter answered differently, for the report's examples. With per-case scores, the
 * cases where one passed and the other did not come first: those are the ones a reader wants to see.
 */
export function pickDisagreements(
  base: ScorerInput[],
  adapter: ScorerInput[],
  limit: number,
  scores?: { base: number[]; adapter: number[] },
): Disagreement[] {
  const byIndex = new Map(adapter.map((a) => [a.index, a]));
  const differ = base.flatMap((b, i) => {
    const a = byIndex.get(b.index);
    if (!a || a.output.trim() === b.output.trim()) return [];
    const scoreGap = scores ? Math.abs((scores.adapter[i] ?? 0) - (scores.base[i] ?? 0)) : 0;
    return [{ b, a, scoreGap }];
  });
  return differ
    .sort((x, y) => y.scoreGap - x.scoreGap || x.b.index - y.b.index)
    .slice(0, limit)
    .map(({ b, a }) => ({
      index: b.index,
      prompt: b.prompt,
      reference: b.reference,
      base: b.output,
      adapter: a.output,
    }));
}

import { z } from "zod";
import { rougeTokens } from "./text.js";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({
  beta: z
    .number()
    .positive()
    .default(1)
    .describe("weight of recall against precision in the F-measure; 1: their harmonic mean"),
});
type Options = z.infer<typeof Options>;

/** Length of the longest common subsequence of two token lists (two rows of the DP table, O(m·n)). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const token of a) {
    const current = [0];
    for (let j = 1; j <= b.length; j++) {
      current.push(token === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * ROUGE-L F-measure (Lin, 2004) of one output against one reference, over rougeTokens (lower-cased
 * letter/digit runs): P = LCS/|output|, R = LCS/|reference|, F = (1+β²)PR/(R+β²P). Two empty texts
 * score 1; one empty text scores 0.
 */
export function rougeL(output: string, reference: string, beta = 1): number {
  const out = rougeTokens(output);
  const ref = rougeTokens(reference);
  if (out.length === 0 || ref.length === 0) return out.length === ref.length ? 1 : 0;
  const lcs = lcsLength(out, ref);
  if (lcs === 0) return 0;
  const precision = lcs / out.length;
  const recall = lcs / ref.length;
  return ((1 + beta ** 2) * precision * recall) / (recall + beta ** 2 * precision);
}

export const rougeLScorer: ScorerDefinition<Options> = {
  name: "rouge_l",
  kind: "continuous",
  higherIsBetter: true,
  options: Options,
  create(options) {
    return ({ output, reference }) => rougeL(output, reference, options.beta);
  },
};

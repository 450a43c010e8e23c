import { z } from "zod";
import { squadTokens } from "./text.js";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({});

/**
 * SQuAD's token F1: the harmonic mean of precision and recall of the multiset of normalized tokens
 * (squadTokens) the output shares with the reference. Two empty answers score 1, one empty answer 0.
 */
export function tokenF1(output: string, reference: string): number {
  const out = squadTokens(output);
  const ref = squadTokens(reference);
  if (out.length === 0 || ref.length === 0) return out.length === ref.length ? 1 : 0;
  const left = new Map<string, number>();
  for (const token of ref) left.set(token, (left.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of out) {
    const count = left.get(token) ?? 0;
    if (count > 0) {
      common++;
      left.set(token, count - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / out.length;
  const recall = common / ref.length;
  return (2 * precision * recall) / (precision + recall);
}

export const tokenF1Scorer: ScorerDefinition<z.infer<typeof Options>> = {
  name: "token_f1",
  kind: "continuous",
  higherIsBetter: true,
  options: Options,
  create() {
    return ({ output, reference }) => tokenF1(output, reference);
  },
};

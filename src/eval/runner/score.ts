import type { Generation } from "../generate.js";
import type { SuiteScorer } from "../suite/index.js";

/** One line of `<suite>/generations.jsonl`: a case, what each model said, and each scorer's score. */
export interface ScoredCase {
  index: number;
  prompt: string;
  reference: string;
  base: ScoredOutput;
  adapter: ScoredOutput;
}

export interface ScoredOutput {
  output: string;
  latency_s: number;
  new_tokens: number;
  loss: number | null;
  /** Scorer name → score; null where a scorer had nothing to score (e.g. no loss). */
  scores: Record<string, number | null>;
}

/** Scores each case pair with every scorer; base[i] and adapter[i] must be the same case. */
export async function scoreCases(
  scorers: readonly SuiteScorer[],
  base: readonly Generation[],
  adapter: readonly Generation[],
): Promise<ScoredCase[]> {
  const cases: ScoredCase[] = [];
  for (const [i, b] of base.entries()) {
    const a = adapter[i]!;
    if (a.index !== b.index) throw new Error(`generations out of step: case ${b.index} vs ${a.index}`);
    cases.push({
      index: b.index,
      prompt: b.prompt,
      reference: b.reference,
      base: await scoreOutput(scorers, b),
      adapter: await scoreOutput(scorers, a),
    });
  }
  return cases;
}

/**
 * A third model's outputs of the same cases (eval.compare_to's champion) put in the base's place of cases
 * already scored: the new adapter's scores are reused, not asked for again (a judge is paid once).
 */
export async function againstChampion(
  scorers: readonly SuiteScorer[],
  scored: readonly ScoredCase[],
  champion: readonly Generation[],
): Promise<ScoredCase[]> {
  const byIndex = new Map(champion.map((g) => [g.index, g]));
  const cases: ScoredCase[] = [];
  for (const c of scored) {
    const generation = byIndex.get(c.index);
    if (!generation) throw new Error(`champion generations lack case ${c.index}`);
    cases.push({ ...c, base: await scoreOutput(scorers, generation) });
  }
  return cases;
}

async function scoreOutput(scorers: readonly SuiteScorer[], generation: Generation): Promise<ScoredOutput> {
  const scores: Record<string, number | null> = {};
  for (const scorer of scorers) {
    const value = await scorer.score(generation);
    // JSON has no NaN: a case a scorer cannot score is saved as null and left out of its statistics.
    scores[scorer.name] = Number.isFinite(value) ? value : null;
  }
  const { output, latency_s, new_tokens, loss } = generation;
  return { output, latency_s, new_tokens, loss: loss ?? null, scores };
}

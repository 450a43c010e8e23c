import { containsScorer } from "./contains.js";
import { exactMatchScorer } from "./exact-match.js";
import { jsonSchemaScorer } from "./json-schema.js";
import { jsonValidScorer } from "./json-valid.js";
import { llmJudge } from "./judge.js";
import { lossScorer, perplexityScorer } from "./loss.js";
import { preferenceAccuracyScorer, preferenceMarginScorer } from "./preference.js";
import { regexScorer } from "./regex.js";
import { rougeLScorer } from "./rouge-l.js";
import { latencyScorer, tokensPerSecondScorer } from "./speed.js";
import { tokenF1Scorer } from "./token-f1.js";
import type { ScorerDefinition } from "./types.js";

// The registry: a suite names scorers by these keys. Each definition validates its own options.
const SCORERS: readonly ScorerDefinition[] = [
  exactMatchScorer,
  containsScorer,
  regexScorer,
  jsonValidScorer,
  jsonSchemaScorer,
  rougeLScorer,
  tokenF1Scorer,
  lossScorer,
  perplexityScorer,
  latencyScorer,
  tokensPerSecondScorer,
  llmJudge,
  preferenceAccuracyScorer,
  preferenceMarginScorer,
];

const BY_NAME = new Map(SCORERS.map((scorer) => [scorer.name, scorer]));

export const SCORER_NAMES: readonly string[] = SCORERS.map((scorer) => scorer.name);

/** The scorer registered under `name`, or undefined. */
export function getScorer(name: string): ScorerDefinition | undefined {
  return BY_NAME.get(name);
}

export type { ScorerDefinition, CaseScorer, ScorerContext } from "./types.js";
export { exactMatch } from "./exact-match.js";
export { rougeL, lcsLength } from "./rouge-l.js";
export { tokenF1 } from "./token-f1.js";
export { normalizeText, rougeTokens, squadTokens } from "./text.js";

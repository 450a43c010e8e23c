import { getScorer } from "../scorers/index.js";
import type { Suite } from "./load.js";
import type { SuiteScorer } from "./scorers.js";

export const DEFAULT_SUITE_NAME = "heldout";
const DEFAULT_SCORERS = ["exact_match", "rouge_l", "loss", "perplexity"];

/**
 * The suite a run evaluates when its config names none: the held-out split, scored by exact match,
 * ROUGE-L, and reference loss and perplexity — so every run has paired metrics to report and gate on.
 */
export function defaultSuite(): Suite {
  return heldoutSuite(DEFAULT_SCORERS);
}

const PREFERENCE_SCORERS = ["preference_accuracy", "preference_margin", "loss"];

/**
 * A DPO run's held-out pairs: which answer base and adapter prefer, by how much, and the chosen answer's loss.
 * Scored from log-probabilities, nothing generated.
 */
export function defaultPreferenceSuite(): Suite {
  return heldoutSuite(PREFERENCE_SCORERS);
}

function heldoutSuite(names: readonly string[]): Suite {
  const scorers: SuiteScorer[] = names.map((name) => {
    const definition = getScorer(name)!;
    const options = definition.options.parse({});
    return { name, definition, score: definition.create(options, { suiteFile: "", env: {} }) };
  });
  return { name: DEFAULT_SUITE_NAME, file: "", cases: { source: "heldout" }, generate: {}, scorers };
}

import { z } from "zod";
import type { ScorerInput } from "../types.js";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({});
type Options = z.infer<typeof Options>;

// Preference pairs (a DPO run's held-out split) are scored, not generated: docker/generate.py gives each case
// the summed log-probability of the chosen and of the rejected answer given the prompt.

function margin({ logp_chosen, logp_rejected }: ScorerInput): number {
  if (typeof logp_chosen !== "number" || typeof logp_rejected !== "number") return Number.NaN;
  return logp_chosen - logp_rejected;
}

/** 1 when the model gives the chosen answer the higher probability; unscored for cases that are not pairs. */
export const preferenceAccuracyScorer: ScorerDefinition<Options> = {
  name: "preference_accuracy",
  kind: "binary",
  higherIsBetter: true,
  options: Options,
  create() {
    return (input) => {
      const value = margin(input);
      return Number.isNaN(value) ? value : value > 0 ? 1 : 0;
    };
  },
};

/**
 * log p(chosen) − log p(rejected) in nats: how strongly the model prefers the chosen answer. Base vs adapter,
 * its difference is DPO's implicit reward margin (divided by β), measured on held-out pairs.
 */
export const preferenceMarginScorer: ScorerDefinition<Options> = {
  name: "preference_margin",
  kind: "continuous",
  higherIsBetter: true,
  options: Options,
  create() {
    return margin;
  },
};

import { z } from "zod";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({});
type Options = z.infer<typeof Options>;

/** Mean NLL of the case's reference tokens given its prompt, as docker/generate.py computes it (nats). */
export const lossScorer: ScorerDefinition<Options> = {
  name: "loss",
  kind: "continuous",
  higherIsBetter: false,
  options: Options,
  create() {
    return ({ loss }) => loss ?? Number.NaN;
  },
};

/**
 * exp(loss) of the case. The suite's value is the mean of per-case perplexities (so it pairs per case
 * like every metric), which is larger than exp(mean loss) when cases differ.
 */
export const perplexityScorer: ScorerDefinition<Options> = {
  name: "perplexity",
  kind: "continuous",
  higherIsBetter: false,
  options: Options,
  create() {
    return ({ loss }) => (loss === undefined || loss === null ? Number.NaN : Math.exp(loss));
  },
};

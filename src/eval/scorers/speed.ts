import { z } from "zod";
import type { ScorerDefinition } from "./types.js";

const Options = z.strictObject({});
type Options = z.infer<typeof Options>;

/**
 * Seconds the case took: generation runs in batches, so this is the wall time of the case's batch, i.e.
 * how long a caller waited for this answer. Base and adapter run the same batches, so they pair.
 */
export const latencyScorer: ScorerDefinition<Options> = {
  name: "latency_s",
  kind: "continuous",
  higherIsBetter: false,
  options: Options,
  create() {
    return ({ latency_s }) => latency_s;
  },
};

/** New tokens per second of the case's batch latency (0 when the latency is 0). */
export const tokensPerSecondScorer: ScorerDefinition<Options> = {
  name: "tokens_per_s",
  kind: "continuous",
  higherIsBetter: true,
  options: Options,
  create() {
    return ({ latency_s, new_tokens }) => (latency_s > 0 ? new_tokens / latency_s : 0);
  },
};

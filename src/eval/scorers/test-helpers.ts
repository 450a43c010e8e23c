import type { ScorerDefinition } from "./types.js";

/** Scores one output/reference pair with a scorer built from raw (unparsed) options. */
export function score<Options>(
  scorer: ScorerDefinition<Options>,
  options: unknown,
  output: string,
  reference = "",
  extra: { latency_s?: number; new_tokens?: number; loss?: number; suiteFile?: string } = {},
): number | Promise<number> {
  const parsed = scorer.options.parse(options);
  const run = scorer.create(parsed, { suiteFile: extra.suiteFile ?? "/suite.yaml", env: {} });
  return run({
    index: 0,
    prompt: "",
    reference,
    output,
    latency_s: extra.latency_s ?? 1,
    new_tokens: extra.new_tokens ?? 1,
    loss: extra.loss,
  });
}

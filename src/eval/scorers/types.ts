import type { z } from "zod";
import type { MetricKind, ScorerInput } from "../types.js";

/**
 * A scorer: one small module each under src/eval/scorers/, registered by name. Options are validated by
 * the scorer's own zod schema when a suite is loaded, before any generation runs.
 */
export interface ScorerDefinition<Options = unknown> {
  name: string;
  kind: MetricKind;
  higherIsBetter: boolean;
  options: z.ZodType<Options>;
  /** Builds the per-case scoring function once per suite (e.g. compiles a regex or a JSON Schema). */
  create(options: Options, context: ScorerContext): CaseScorer;
}

/** Per-case score: 0/1 for binary metrics, a real number otherwise. Async for scorers that call out (judge). */
export type CaseScorer = (input: ScorerInput) => number | Promise<number>;

export interface ScorerContext {
  /** The suite file, for resolving relative paths in options (e.g. a JSON Schema file). */
  suiteFile: string;
  /** Secrets such as an endpoint token come from the environment, never from the suite file. */
  env: Record<string, string | undefined>;
}

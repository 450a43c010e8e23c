import type { RunConfig } from "../config/index.js";
import { COMPARE_TO, findAdapter } from "./init-adapter/index.js";

/** eval.compare_to, resolved: the adapter the new one is evaluated against, and what the user wrote. */
export interface Champion {
  /** As the config gives it: a run id, or a directory (made absolute when the config was loaded). */
  source: string;
  /** The champion run's id, when `source` named a run. */
  runId?: string;
  /** The adapter directory generation loads. */
  adapter: string;
}

/**
 * Finds eval.compare_to before any work, by the rules of training.init_adapter: a finished run of the runs
 * directory whose adapter verifies, or an adapter directory written as a path; either trained on this config's
 * base model. Anything else is exit 2 naming the setting, so a challenger never trains for an hour to then find
 * no champion.
 */
export async function resolveChampion(config: RunConfig, runsDir: string): Promise<Champion | undefined> {
  const source = config.eval.compare_to;
  if (source === undefined) return undefined;
  const found = await findAdapter(COMPARE_TO, source, config.base_model, runsDir);
  return { source, adapter: found.dir, ...(found.runId ? { runId: found.runId } : {}) };
}

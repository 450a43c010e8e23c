import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { verifyCheckpoint } from "../checkpoints/index.js";
import type { RunConfig } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import { ADAPTER_FILES, readRecord, runPaths } from "../run-dir/index.js";

/** eval.compare_to, resolved: the adapter the new one is evaluated against, and what the user wrote. */
export interface Champion {
  /** As written in the config: a run id or a directory. */
  source: string;
  /** The champion run's id, when `source` named a run. */
  runId?: string;
  /** The adapter directory generation loads. */
  adapter: string;
}

/**
 * Finds eval.compare_to before any work: a run in the runs directory whose adapter is complete (its manifest
 * verifies) and whose base model is this config's, or an adapter directory relative to the config file.
 * Anything else is exit 2 naming the setting, so a challenger never trains for an hour to then find no champion.
 */
export async function resolveChampion(
  config: RunConfig,
  configFile: string,
  runsDir: string,
): Promise<Champion | undefined> {
  const source = config.eval.compare_to;
  if (source === undefined) return undefined;
  const run = runPaths(runsDir, source);
  if (!source.includes("/") && existsSync(run.record)) return championRun(config, source, runsDir);
  const dir = isAbsolute(source) ? source : resolve(dirname(configFile), source);
  const missing = ADAPTER_FILES.filter((name) => !existsSync(join(dir, name)));
  if (existsSync(dir) && missing.length === 0) return { source, adapter: dir };
  throw new UsageError(
    "bad-champion",
    existsSync(dir)
      ? `eval.compare_to: ${dir} is not a PEFT adapter (no ${missing.join(", ")})`
      : `eval.compare_to: "${source}" is neither a run in ${runsDir} nor an adapter directory (${dir})`,
    { hint: "name a finished run's id (pipeline runs list) or a directory holding adapter_config.json" },
  );
}

async function championRun(config: RunConfig, id: string, runsDir: string): Promise<Champion> {
  const record = await readRecord(runsDir, id);
  if (sameKindOfName(record.baseModel, config.base_model) && record.baseModel !== config.base_model) {
    throw new UsageError(
      "bad-champion",
      `eval.compare_to: run ${id} trained on ${record.baseModel}, this config on ${config.base_model}`,
      { hint: "a champion must be an adapter of the same base model" },
    );
  }
  const adapter = runPaths(runsDir, id).adapter;
  const verdict = existsSync(adapter) ? await verifyCheckpoint(adapter) : undefined;
  if (!verdict?.ok) {
    throw new UsageError(
      "bad-champion",
      `eval.compare_to: run ${id} has no complete adapter (${verdict ? verdict.reason : "no adapter folder"})`,
      { hint: `pull it with pipeline checkpoints pull, or name another run (it ended ${record.status})` },
    );
  }
  return { source: id, runId: id, adapter };
}

// Hub ids and builtin names compare as written; local paths are relative to each run's own config.
function sameKindOfName(a: string, b: string): boolean {
  const local = (name: string) => /^(\.{0,2}\/|~\/)/.test(name);
  return !local(a) && !local(b);
}

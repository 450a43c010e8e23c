import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type CheckpointStore,
  type KeepBest,
  LocalDirStore,
  keptIn,
  openStore,
} from "../../checkpoints/index.js";
import { keepingUnset, loadConfig } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import { runPaths } from "../../run-dir/index.js";
import { splitRunLocation } from "../../run/index.js";

export interface TargetOptions {
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
}

/** Where `pipeline checkpoints …` looks: a run in a store, with the retention its config asks for. */
export interface Target {
  store: CheckpointStore;
  runId: string;
  keepLast?: number;
  keepBest?: KeepBest;
}

export async function withTarget(
  target: string,
  options: TargetOptions,
  work: (t: Target) => Promise<number>,
) {
  const t = await resolveTarget(target, options);
  try {
    return await work(t);
  } finally {
    t.store.close();
  }
}

/**
 * A run id (its config says which store) or a run's location in a store: `s3://bucket/prefix/<run-id>`, a
 * store directory's `<dir>/<run-id>`, or a run directory (either may end in /checkpoints).
 */
async function resolveTarget(target: string, options: TargetOptions): Promise<Target> {
  if (target.includes("/")) {
    const { store, id } = splitRunLocation(target.replace(/\/checkpoints\/*$/, ""));
    // A run directory (it holds run.json) is a store kept in place: checkpoints and adapter only.
    const inPlace = !store.startsWith("s3://") && existsSync(join(store, id, "run.json"));
    const { endpoint, region, pathStyle } = options;
    return {
      store: inPlace ? new LocalDirStore(store, true) : openStore(store, { endpoint, region, pathStyle }),
      runId: id,
    };
  }
  const paths = runPaths(options.runsDir, target);
  if (!existsSync(paths.resolvedConfig)) {
    throw new UsageError("unknown-run", `no run ${target} in ${resolve(options.runsDir)}`, {
      hint: "give a run id from `pipeline runs list` (with --runs-dir), or the run's location in its store",
    });
  }
  const { config } = await loadConfig(paths.resolvedConfig, { checkFiles: false, env: keepingUnset() });
  return {
    store: keptIn(config.checkpoints, options.runsDir),
    runId: target,
    keepLast: config.checkpoints.keep_last,
    keepBest: config.checkpoints.keep_best,
  };
}

export const describeTarget = (t: Target) => t.store.locate(t.runId, "checkpoints");

import { readFile } from "node:fs/promises";
import { keepingUnset, loadConfig } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { acquireRunLock, readRecord, runPaths } from "../../run-dir/index.js";
import { startTracking, trackingPlan } from "../../tracking/index.js";

/**
 * `pipeline runs sync <run-id>`: sends a run's tracking systems what they lack (from events.jsonl), its results
 * and report, as at the end of the run — for a server that was down then. Exit 1 when one still lacks something.
 */
export async function runsSync(id: string, options: { runsDir: string }): Promise<number> {
  const record = await readRecord(options.runsDir, id);
  const paths = runPaths(options.runsDir, id);
  // The secrets it took from the environment are not needed to sync: the config loads without them.
  const { config } = await loadConfig(paths.resolvedConfig, { checkFiles: false, env: keepingUnset() });
  if (!trackingPlan(config.tracking)) {
    process.stdout.write(`run ${id} tracks nothing (its config has no tracking:)\n`);
    return 0;
  }
  const release = acquireRunLock(paths);
  try {
    const spec = JSON.parse(await readFile(paths.spec, "utf8")) as TrainSpec;
    const tracker = await startTracking({
      runId: id,
      runDir: paths.dir,
      config,
      configFile: record.config,
      configHash: record.configHash,
      baseModel: config.base_model,
      resolvedModel: spec.base_model,
      runtime: record.runtime,
      trainFile: spec.data.train,
      evalFile: spec.data.eval,
      sync: true,
      log: {
        warn: (line) => process.stderr.write(`warning: ${line}\n`),
        info: (line) => process.stderr.write(`${line}\n`),
        progress: (line) => process.stderr.write(`  ${line}\n`),
      },
    });
    // A run whose process died (still "running" in run.json) is resumable: interrupted, not finished.
    const complete = await tracker?.finish(record.status === "running" ? "interrupted" : record.status);
    if (complete === false) return 1;
    const systems = tracker?.systems ?? [];
    process.stdout.write(
      systems.length > 0
        ? `synced run ${id} to ${systems.join("; ")}\n`
        : `run ${id}: every tracking system has the whole run already\n`,
    );
    return 0;
  } finally {
    release();
  }
}

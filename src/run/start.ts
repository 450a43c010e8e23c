import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { loadConfig } from "../config/index.js";
import { TrainSpec } from "../config/train-spec.js";
import { UsageError } from "../errors/index.js";
import { loadSuites } from "../eval/index.js";
import { runtimeFor } from "../launch/index.js";
import { createRunDir, newRunId, readRecord, runPaths } from "../run-dir/index.js";
import { withWorkspaceTracking } from "../tracking/index.js";
import { resolveChampion } from "./champion.js";
import { RunState } from "./state.js";
import { restoreFromStore, type StoreOptions } from "./store/restore.js";

export interface FreshRun {
  configFile: string;
  set: string[];
  runsDir: string;
  /** A queue worker names the run before it starts (its first attempt); it must be new. */
  runId?: string;
}

/** A new run: config and suites checked before a run directory exists, then the directory made. */
export async function startFresh(input: FreshRun): Promise<RunState> {
  const loaded = await loadConfig(input.configFile, { set: input.set });
  const { hash } = loaded;
  // The workspace's tracking defaults go into config.resolved.yaml, so a resume tracks the same way.
  const config = await withWorkspaceTracking(loaded.config, input.configFile);
  const suites = await loadSuites(config.eval.suites);
  const runtime = runtimeFor(config.runtime, input.configFile);
  const runsDir = input.runsDir === "runs" ? config.output.runs_dir : input.runsDir;
  const champion = await resolveChampion(config, runsDir);
  const paths = runPaths(runsDir, input.runId ?? newRunId(config.output.name ?? input.configFile));
  if (input.runId !== undefined) checkNewRunId(paths.record, input.runId);
  await createRunDir(paths);
  const now = new Date();
  return new RunState({
    configFile: input.configFile,
    config,
    configHash: hash,
    paths,
    resume: false,
    createdAt: now.toISOString(),
    startedAt: now.getTime(),
    suites,
    runtime,
    champion,
  });
}

/**
 * A run continued from its newest checkpoint, with the exact config it started with. A run's location in its
 * store (`s3://bucket/prefix/<run-id>`, `<store dir>/<run-id>`) recreates the run directory from the store first. The source datasets are not needed (a resume trains on the run's
 * formatted splits) and may be absent on a machine the run was restored to.
 */
export async function startResume(target: string, options: StoreOptions): Promise<RunState> {
  // A run id never holds a slash: anything with one is the run's location in a store (s3:// or a directory).
  const id = target.includes("/") ? await restoreFromStore(target, options) : target;
  const record = await readRecord(options.runsDir, id);
  const paths = runPaths(options.runsDir, id);
  const { config, hash } = await loadConfig(paths.resolvedConfig, { checkFiles: false });
  const previous = TrainSpec.parse(JSON.parse(await readFile(paths.spec, "utf8")));
  const state = new RunState({
    configFile: record.config,
    config,
    configHash: hash,
    paths,
    resume: true,
    createdAt: record.createdAt,
    startedAt: Date.now(),
    suites: await loadSuites(config.eval.suites),
    runtime: runtimeFor(config.runtime),
    champion: await resolveChampion(config, options.runsDir),
  });
  // The splits in this run directory: it may have been recreated elsewhere from the store (a new path).
  state.set("format", {
    train: relocated(previous.data.train, paths.data),
    eval: previous.data.eval && relocated(previous.data.eval, paths.data),
  });
  return state;
}

/** A given run id must be new (a worker's first attempt); an existing run is continued with --resume. */
function checkNewRunId(record: string, id: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) {
    throw new UsageError("bad-run-id", `--run-id ${id}: letters, digits, '-', '_' and '.' only`);
  }
  if (existsSync(record)) {
    throw new UsageError("run-exists", `run ${id} already exists`, {
      hint: `continue it with pipeline run --resume ${id}`,
    });
  }
}

/** A split's path in the current run directory when it is there under the same name; else as recorded. */
function relocated(path: string, dataDir: string): string {
  const here = join(dataDir, basename(path));
  return existsSync(here) ? here : path;
}

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { loadConfig } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import { loadSuites } from "../../eval/index.js";
import {
  acquireRunLock,
  createRunDir,
  newRunId,
  readRecord,
  runPaths,
  watchParent,
} from "../../launch/index.js";
import { withAssignedGpus } from "../../launch/docker/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import type { RunContext } from "../run/context.js";
import { runTasks } from "../run/tasks.js";
import { printSummary } from "../run/summary.js";
import { uploadReport } from "../run/uploads.js";
import { isS3Uri } from "../../checkpoints/index.js";
import { restoreFromStore } from "../run/restore.js";
import { writeRunReport } from "../run/report.js";
import { publishAfterRun } from "../run/publish.js";

interface RunOptions {
  set?: string[];
  resume?: string;
  runsDir: string;
  json?: boolean;
  /** Hidden: the run id to use (a queue worker records it before the run starts). */
  runId?: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
}

/** `pipeline run <config>` and `pipeline run --resume <run-id>`. */
export async function run(configFile: string | undefined, options: RunOptions): Promise<number> {
  watchParent();
  const ctx = options.resume ? await resumeContext(options) : await freshContext(configFile, options);
  const release = acquireRunLock(ctx.paths.dir, ctx.paths.id);
  try {
    await runTasks(ctx).run();
  } finally {
    // A report after every run; failing to write it must not hide why the run itself failed.
    await writeRunReport(ctx).catch((error: unknown) => {
      process.stderr.write(`warning: the report could not be written: ${String(error)}\n`);
    });
    await uploadReport(ctx).finally(release);
  }
  printSummary(ctx);
  await publishAfterRun(ctx);
  return (ctx.gateResults ?? []).every((gate) => gate.passed) ? 0 : 1;
}

async function freshContext(configFile: string | undefined, options: RunOptions): Promise<RunContext> {
  if (!configFile) {
    throw new UsageError("missing-config", "pipeline run needs a config file, or --resume <run-id>", {
      hint: "e.g. pipeline run configs/quickstart.yaml",
    });
  }
  const { config, hash } = await loadConfig(configFile, { set: options.set ?? [] });
  // Every suite and scorer option is checked before a run directory exists or any step is trained.
  const suites = await loadSuites(config.eval.suites);
  const runsDir = options.runsDir === "runs" ? config.output.runs_dir : options.runsDir;
  const paths = runPaths(runsDir, options.runId ?? newRunId(config.output.name ?? configFile));
  if (options.runId !== undefined) checkNewRunId(paths.record, options.runId);
  await createRunDir(paths);
  return base({
    configFile,
    config,
    configHash: hash,
    paths,
    resume: false,
    json: Boolean(options.json),
    suites,
  });
}

async function resumeContext(options: RunOptions): Promise<RunContext> {
  if (options.set?.length) {
    throw new UsageError("resume-with-set", "--set cannot change a run that is being resumed", {
      hint: "a resumed run continues with the exact config it started with; start a new run to change it",
    });
  }
  const id = isS3Uri(options.resume!) ? await restoreFromStore(options.resume!, options) : options.resume!;
  const record = await readRecord(options.runsDir, id);
  const paths = runPaths(options.runsDir, id);
  // The source datasets are not needed (a resume trains on the run's formatted splits) and may be absent
  // on a machine the run was restored to from the store.
  const { config, hash } = await loadConfig(paths.resolvedConfig, { checkFiles: false });
  const previous = JSON.parse(await readFile(paths.spec, "utf8")) as TrainSpec;
  const suites = await loadSuites(config.eval.suites);
  const ctx = base({
    suites,
    configFile: record.config,
    config,
    configHash: hash,
    paths,
    resume: true,
    json: Boolean(options.json),
  });
  return {
    ...ctx,
    createdAt: record.createdAt,
    // The splits in this run directory: it may have been recreated elsewhere from the store (a new path).
    trainFile: relocated(previous.data.train, paths.data),
    evalFile: previous.data.eval && relocated(previous.data.eval, paths.data),
  };
}

function base(fields: Omit<RunContext, "createdAt" | "startedAt">): RunContext {
  // A queue worker assigns the job's GPUs (PIPELINE_GPUS); the docker runtime honours them.
  const config = { ...fields.config, runtime: withAssignedGpus(fields.config.runtime) };
  return { ...fields, config, createdAt: new Date().toISOString(), startedAt: Date.now() };
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

import { UsageError } from "../../errors/index.js";
import { watchParent } from "../../launch/index.js";
import { acquireRunLock } from "../../run-dir/index.js";
import {
  assertStored,
  publishAfterRun,
  finishTracking,
  startFresh,
  startResume,
  uploadReport,
  writeRunReport,
  type RunState,
} from "../../run/index.js";
import { pauseBeforeReport } from "../run/test-pause.js";
import { runTasks } from "../run/tasks.js";
import { printSummary } from "../run/summary.js";

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

/** `pipeline run <config>` and `pipeline run --resume <run-id|s3-uri>`. */
export async function run(configFile: string | undefined, options: RunOptions): Promise<number> {
  watchParent();
  const state = await start(configFile, options);
  const json = Boolean(options.json);
  const release = acquireRunLock(state.setup.paths);
  try {
    let uploads;
    try {
      await runTasks(state, json).run();
    } finally {
      await pauseBeforeReport();
      // A report after every run; failing to write it must not hide why the run itself failed.
      await writeRunReport(state).catch((error: unknown) => {
        process.stderr.write(`warning: the report could not be written: ${String(error)}\n`);
      });
      const report = await uploadReport(state.setup.config.checkpoints, state.setup.paths);
      uploads = [...(state.get("train")?.uploads ?? []), ...(report ? [report] : [])];
    }
    const stored = state.get("train")?.uploads ? uploads : undefined;
    printSummary(state, stored, json);
    assertStored(state.setup.config.checkpoints, state.setup.paths, stored);
    await publishAfterRun(state);
  } finally {
    // Last: the wait for a tracking server (up to PIPELINE_TRACKING_FINISH_S) comes after everything the run
    // keeps, so a run stopped while it waits has its report stored and its adapter published; tracking.json
    // keeps what the server lacks for `pipeline runs sync`. The lock is held throughout.
    await finishTracking(state).finally(release);
  }
  return (state.get("evaluate")?.gates ?? []).every((gate) => gate.passed) ? 0 : 1;
}

function start(configFile: string | undefined, options: RunOptions): Promise<RunState> {
  if (options.resume) {
    if (options.set?.length) {
      throw new UsageError("resume-with-set", "--set cannot change a run that is being resumed", {
        hint: "a resumed run continues with the exact config it started with; start a new run to change it",
      });
    }
    return startResume(options.resume, options);
  }
  if (!configFile) {
    throw new UsageError("missing-config", "pipeline run needs a config file, or --resume <run-id>", {
      hint: "e.g. pipeline run configs/quickstart.yaml",
    });
  }
  return startFresh({ configFile, set: options.set ?? [], runsDir: options.runsDir, runId: options.runId });
}

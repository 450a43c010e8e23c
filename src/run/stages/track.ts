import { startTracking, type Tracker } from "../../tracking/index.js";
import type { RunState, Stage, StageResults } from "../state.js";

/**
 * Experiment tracking (TensorBoard, MLflow, W&B), when the config asks for it: a tracker started before
 * training, fed every trainer event by the train stage, finished after the report (`finishTracking`).
 * Tracking is never worth a lost run: whatever goes wrong in starting it is a warning.
 */
export const trackStage: Stage<"track"> = {
  key: "track",
  title: "Tracking",
  when: (state) => state.setup.config.tracking !== undefined,
  async run(state, progress): Promise<StageResults["track"]> {
    const { paths, config, configFile, configHash } = state.setup;
    const splits = state.get("format");
    const tracker = await startTracking({
      runId: paths.id,
      runDir: paths.dir,
      config,
      configFile,
      configHash,
      baseModel: config.base_model,
      resolvedModel: state.get("model")?.baseModel ?? config.base_model,
      runtime: config.runtime.type,
      trainFile: splits?.train,
      evalFile: splits?.eval,
      log: {
        warn: (line) => process.stderr.write(`warning: ${line}\n`),
        info: (line) => progress.output(line),
        progress: (line) => progress.output(line),
      },
    }).catch((error: unknown) => {
      process.stderr.write(
        `warning: tracking could not start (${String(error)}); training goes on without it\n`,
      );
      return undefined;
    });
    if (tracker) progress.title(`Tracking (${tracker.systems.join("; ") || "nothing could start"})`);
    return { tracker };
  },
};

/** After the report is written, with how training ended; a run that never reached training has no tracker. */
export async function finishTracking(state: RunState): Promise<void> {
  const tracker: Tracker | undefined = state.get("track")?.tracker;
  await tracker?.finish(state.get("train")?.outcome.status ?? "failed");
}

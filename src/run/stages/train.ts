import { stampMetrics } from "../../checkpoints/index.js";
import { ExitCode, InterruptedError, LostError, messageOf } from "../../errors/index.js";
import { trainerFailure } from "./train-failure.js";
import { followTrainer, progressLine, type TrainerEvent, type TrainOutcome } from "../../launch/index.js";
import { writeRecord, type RunRecord } from "../../run-dir/index.js";
import { hostCheckpoint, startUploads, uploadLines } from "../store/uploads.js";
import type { Progress, RunState, Stage, StageResults } from "../state.js";

/**
 * Starts the trainer where the runtime runs, follows its events (events.jsonl, progress, uploads to the store,
 * run.json), and ends with its outcome. A stopped or failed run still records its result (the report needs
 * it) before the stage fails with what to do next.
 */
export const trainStage: Stage<"train"> = {
  key: "train",
  title: "Train",
  async run(state, progress): Promise<StageResults["train"]> {
    const { paths, config, runtime } = state.setup;
    const handle = await runtime.train({
      spec: state.need("render").spec,
      runDir: paths.dir,
      specPath: paths.spec,
      logPath: paths.trainerLog,
      checkpoints: config.checkpoints,
    });
    await record(state, "running");
    const uploads = startUploads(config.checkpoints, paths, (line) => progress.output(line));
    const follower = eventFollower(state, progress, uploads);
    const outcome = await followTrainer(handle, { eventsFile: paths.events, onEvent: follower.onEvent });
    // Checkpoints matter most when training stopped early: the queue is drained whatever the outcome.
    const adapterToUpload = outcome.status === "done" && !state.need("placement").outputsInStore;
    const uploaded = await uploads?.finish(adapterToUpload, (line) => progress.output(line));
    if (uploaded && outcome.status !== "done") process.stderr.write(uploadLines(uploaded).join("\n") + "\n");
    const metrics = outcome.done?.metrics;
    const recorded = record(state, outcome.status, {
      step: metrics?.steps ?? outcome.lastStep,
      trainLoss: metrics?.train_loss,
      evalLoss: metrics?.eval_loss,
      message: outcome.error?.message ?? outcome.exit.message,
    });
    // A run that stopped short says why; a run.json it cannot write then (a full disk) must not hide that.
    if (outcome.status === "done") await recorded;
    else
      await recorded.catch((error: unknown) => warn(`could not update ${paths.record}: ${messageOf(error)}`));
    const result = { outcome, baseEvalLoss: follower.baseEvalLoss(), uploads: uploaded };
    state.set("train", result);
    await assertTrained(outcome, state, follower.totalSteps());
    return result;
  },
};

function eventFollower(state: RunState, progress: Progress, uploads: ReturnType<typeof startUploads>) {
  const { paths } = state.setup;
  let startStep = 0;
  let totalSteps: number | undefined;
  let baseEvalLoss: number | undefined;
  let lastEval: { step: number; metrics: Record<string, number> } | undefined;
  return {
    baseEvalLoss: () => baseEvalLoss,
    totalSteps: () => totalSteps,
    onEvent(event: TrainerEvent) {
      if (event.type === "start") [startStep, totalSteps] = [event.start_step, event.total_steps];
      if (event.type === "eval" && event.step === 0) baseEvalLoss = event.eval_loss;
      if (event.type === "eval") lastEval = { step: event.step, metrics: { eval_loss: event.eval_loss } };
      // The checkpoint's manifest records the newest eval at or before its step (for keep_best), before
      // the folder is uploaded; the checkpoint event itself carries no metrics.
      const ready =
        event.type === "checkpoint" && lastEval && lastEval.step <= event.step
          ? stampMetrics(hostCheckpoint(paths, event.path), lastEval.metrics, lastEval.step).catch(
              () => undefined,
            )
          : undefined;
      if (!state.need("placement").outputsInStore) uploads?.onEvent(event, ready);
      state.get("track")?.tracker?.onEvent(event);
      progress.event?.(event);
      const line = progressLine(event, startStep);
      if (line) progress.output(line);
    },
  };
}

/** run.json: what the run is, where it runs, and where it stands. */
async function record(state: RunState, status: RunRecord["status"], extra: Partial<RunRecord> = {}) {
  const { paths, configFile, configHash, createdAt, config } = state.setup;
  const placement = state.need("placement");
  const init = state.get("initAdapter");
  await writeRecord(paths, {
    id: paths.id,
    config: configFile,
    configHash,
    status,
    createdAt,
    updatedAt: "",
    baseModel: config.base_model,
    ...(state.get("model")?.hub && { baseModelRevision: state.get("model")!.hub!.sha }),
    runtime: placement.runtime,
    trainedOn: placement.where,
    gpus: placement.gpus,
    ...(placement.image && { image: placement.image.name, imageId: placement.image.id }),
    ...(init && { initAdapter: { source: init.source, sha256: init.sha256 } }),
    ...extra,
  });
}

const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);

async function assertTrained(outcome: TrainOutcome, state: RunState, totalSteps: number | undefined) {
  const { paths } = state.setup;
  if (outcome.status === "interrupted") {
    const where = outcome.lastCheckpoint
      ? `the checkpoint at step ${outcome.lastCheckpoint.step}`
      : "its newest checkpoint";
    throw new InterruptedError(
      `run ${paths.id} was stopped`,
      `continue it from ${where}: pipeline run --resume ${paths.id}`,
    );
  }
  if (outcome.status === "failed" && outcome.exit.exitCode === ExitCode.lost) {
    throw new LostError(
      outcome.exit.message ?? `run ${paths.id} lost its machine`,
      `continue it from its newest checkpoint: pipeline run --resume ${paths.id} (a queued job is retried)`,
    );
  }
  if (outcome.status === "failed") throw await trainerFailure(state.setup, outcome, totalSteps);
}

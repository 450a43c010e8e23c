import { FailedError, InterruptedError } from "../../errors/index.js";
import { followTrainer, progressLine, startLocal, writeRecord, type RunRecord } from "../../launch/index.js";
import type { TrainerHandle } from "../../launch/index.js";
import { startDocker } from "../../launch/docker/index.js";
import type { RunContext } from "./context.js";
import { stampMetrics } from "../../checkpoints/index.js";
import { hostCheckpoint, startUploads } from "./uploads.js";
import { uploadLines } from "./summary.js";

/** The configured runtime, started on the rendered spec. */
async function start(ctx: RunContext): Promise<TrainerHandle> {
  const runtime = ctx.config.runtime;
  const logPath = ctx.paths.trainerLog;
  if (runtime.type === "docker")
    return startDocker(runtime, {
      spec: ctx.spec!,
      runDir: ctx.paths.dir,
      engine: ctx.engine!,
      specPath: ctx.paths.spec,
      logPath,
    });
  return startLocal(ctx.python!, { specPath: ctx.paths.spec, logPath });
}

export async function train(ctx: RunContext, task: { output: string | undefined }): Promise<void> {
  const handle = await start(ctx);
  let startStep = 0;
  const record = (status: RunRecord["status"], extra: Partial<RunRecord> = {}) =>
    writeRecord(ctx.paths, {
      id: ctx.paths.id,
      config: ctx.configFile,
      configHash: ctx.configHash,
      status,
      createdAt: ctx.createdAt,
      updatedAt: "",
      baseModel: ctx.config.base_model,
      ...(ctx.hubModel && { baseModelRevision: ctx.hubModel.sha }),
      runtime: ctx.config.runtime.type,
      ...(ctx.config.runtime.type === "docker" && { image: ctx.config.runtime.image, imageId: ctx.imageId }),
      ...extra,
    });
  await record("running");
  const uploads = startUploads(ctx, (line) => (task.output = line));
  let lastEval: { step: number; metrics: Record<string, number> } | undefined;
  const outcome = await followTrainer(handle, {
    eventsFile: ctx.paths.events,
    onEvent(event) {
      if (event.type === "start") startStep = event.start_step;
      if (event.type === "eval" && event.step === 0) ctx.baseEvalLoss = event.eval_loss;
      if (event.type === "eval") lastEval = { step: event.step, metrics: { eval_loss: event.eval_loss } };
      // The checkpoint's manifest records the newest eval at or before its step (for keep_best), before
      // the folder is uploaded; the checkpoint event itself carries no metrics.
      const ready =
        event.type === "checkpoint" && lastEval && lastEval.step <= event.step
          ? stampMetrics(hostCheckpoint(ctx, event.path), lastEval.metrics, lastEval.step).catch(
              () => undefined,
            )
          : undefined;
      uploads?.onEvent(event, ready);
      if (ctx.json) process.stdout.write(JSON.stringify(event) + "\n");
      const line = progressLine(event, startStep);
      if (line) task.output = line;
    },
  });
  ctx.outcome = outcome;
  // Checkpoints matter most when training stopped early: the queue is drained whatever the outcome.
  if (uploads) ctx.uploads = await uploads.finish(outcome.status === "done", (line) => (task.output = line));
  if (ctx.uploads && outcome.status !== "done") process.stderr.write(uploadLines(ctx).join("\n") + "\n");
  const metrics = outcome.done?.metrics;
  await record(outcome.status, {
    step: metrics?.steps ?? outcome.lastStep,
    trainLoss: metrics?.train_loss,
    evalLoss: metrics?.eval_loss,
    message: outcome.error?.message ?? outcome.exit.message,
  });
  if (outcome.status === "interrupted") {
    const where = outcome.lastCheckpoint
      ? `the checkpoint at step ${outcome.lastCheckpoint.step}`
      : "its newest checkpoint";
    throw new InterruptedError(
      `run ${ctx.paths.id} was stopped`,
      `continue it from ${where}: pipeline run --resume ${ctx.paths.id}`,
    );
  }
  if (outcome.status === "failed") {
    const why = outcome.error
      ? `[${outcome.error.code}] ${outcome.error.message}`
      : (outcome.exit.message ?? `exit ${outcome.exit.exitCode ?? outcome.exit.signal}`);
    throw new FailedError("training-failed", `training failed: ${why}`, {
      hint: `the trainer's log is ${ctx.paths.trainerLog}; after fixing the cause, pipeline run --resume ${ctx.paths.id} continues from the newest checkpoint`,
    });
  }
}

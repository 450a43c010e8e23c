import { listCheckpoints } from "../../checkpoints/index.js";
import { FailedError, PipelineError } from "../../errors/index.js";
import { environmentRule } from "../../errors/environment.js";
import { formatBytes, freeBytes, totalBytes, type TrainOutcome } from "../../launch/index.js";
import type { RunSetup } from "../state.js";

/**
 * Why training failed, as the error the run ends with. A failure of the user's environment (the trainer's
 * error code, or a record the run could not write) says what to fix; anything else is the trainer's failure.
 */
export async function trainerFailure(ctx: RunSetup, outcome: TrainOutcome, totalSteps?: number) {
  const resume = `then \`pipeline run --resume ${ctx.paths.id}\` continues from ${resumePoint(outcome)}`;
  const error = outcome.error;
  if (error?.code === "no-space") return noSpace(ctx, resume, totalSteps);
  const rule = error && environmentRule(error.code);
  if (error && rule)
    return new PipelineError(error.code, `training stopped: ${error.message}`, {
      exitCode: rule.exitCode,
      hint: `${rule.hint}; ${resume}`,
    });
  const why = error
    ? `[${error.code}] ${error.message}`
    : (outcome.exit.message ?? `exit ${outcome.exit.exitCode ?? outcome.exit.signal}`);
  return new FailedError("training-failed", `training failed: ${why}`, {
    hint: `the trainer's log is ${ctx.paths.trainerLog}; after fixing the cause, pipeline run --resume ${ctx.paths.id} continues from the newest checkpoint`,
  });
}

const resumePoint = (outcome: TrainOutcome) =>
  outcome.lastCheckpoint
    ? `its checkpoint at step ${outcome.lastCheckpoint.step}`
    : "its newest complete checkpoint";

/** The disk filled up: how much is free against what the run's checkpoints take, and what to do. */
async function noSpace(ctx: RunSetup, resume: string, totalSteps?: number): Promise<FailedError> {
  const dir = ctx.paths.checkpoints;
  const free = await freeBytes(dir).catch(() => 0);
  const size = await checkpointBytes(dir);
  const saves =
    totalSteps === undefined ? undefined : Math.floor(totalSteps / ctx.config.training.save_steps);
  const need = size && saves ? ` × ${saves} kept = ${formatBytes(size * saves)}` : "";
  return new FailedError(
    "no-space",
    `no space left on the device that holds ${dir}: ${formatBytes(free)} free; a checkpoint of this run takes ` +
      `${size ? formatBytes(size) : "an unknown size (none was complete)"}${need}, and every checkpoint is kept there`,
    {
      hint: `free space on that disk, point output.runs_dir at a larger one, or save less often (training.save_steps); ${resume}`,
    },
  );
}

/** The newest complete checkpoint's size, or else that of the save that was cut short. */
async function checkpointBytes(dir: string): Promise<number> {
  const complete = (await listCheckpoints(dir, { hash: false })).find((c) => c.complete);
  if (complete) return totalBytes([complete.path]);
  return 0;
}

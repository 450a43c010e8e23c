import type { TrainerExit } from "../runtime.js";
import type { RayJob } from "./jobs-api.js";

/** docker/ray_job.py's exit when a node of the job died; Ray's own word for the driver's node dying. */
export const EXIT_LOST = 75;
const DRIVER_NODE_DIED = "JOB_SUPERVISOR_ACTOR_DIED";

/** A finished job as the trainer's exit: stopped → 130 (resumable), a dead node → 75 (lost, resumable). Pure. */
export function jobExit(job: RayJob): TrainerExit {
  if (job.status === "SUCCEEDED") return { exitCode: 0, signal: undefined };
  if (job.status === "STOPPED")
    return { exitCode: 130, signal: undefined, message: "the Ray job was stopped" };
  if (job.error_type === DRIVER_NODE_DIED || job.driver_exit_code === EXIT_LOST) {
    const why = job.error_type === DRIVER_NODE_DIED ? DRIVER_NODE_DIED : "a training node";
    return {
      exitCode: EXIT_LOST,
      signal: undefined,
      message: `the Ray job ${job.submission_id} lost a node (${why} died); its newest checkpoint in the store is where a retry resumes`,
    };
  }
  const message = job.message ?? `the Ray job ${job.submission_id} failed`;
  return { exitCode: job.driver_exit_code ?? 1, signal: undefined, message };
}

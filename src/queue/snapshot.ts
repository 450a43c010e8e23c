import { join } from "node:path";
import type { Db } from "./db.js";
import { countByState, listJobs, type JobState } from "./jobs.js";
import { deviceHours } from "./attempts.js";
import { readRunProgress } from "../run-dir/index.js";
import { aliveWorkers } from "./workers.js";

export interface RunningJob {
  id: string;
  project: string;
  runId: string | null;
  worker: string | null;
  gpus: number;
  assignedGpus: string | null;
  step: number | null;
  totalSteps: number | null;
  loss: number | null;
  message: string | null;
}

/** What `pipeline status` prints and what a metrics endpoint exports. */
export interface WorkerSnapshot {
  jobsByState: Record<JobState, number>;
  running: RunningJob[];
  deviceHours: { total: number; byDeviceType: Record<string, number> };
  gpus: { inUse: number; total: number };
  workers: { id: string; host: string; pid: number; gpus: string; deviceType: string; heartbeatAt: number }[];
}

/**
 * The queue as it stands. `scope` narrows running jobs and GPUs to one worker (its own metrics
 * endpoint); without it, every live worker counts.
 */
export function takeSnapshot(
  db: Db,
  now: number,
  scope?: { worker: string; gpuTotal: number },
): WorkerSnapshot {
  const running = listJobs(db, "running").filter((job) => !scope || job.worker === scope.worker);
  const workers = aliveWorkers(db, now);
  const total = scope
    ? scope.gpuTotal
    : workers.reduce((sum, worker) => sum + (worker.gpus ? worker.gpus.split(",").length : 0), 0);
  return {
    jobsByState: countByState(db),
    running: running.map((job) => ({
      id: job.id,
      project: job.project,
      runId: job.runId,
      worker: job.worker,
      gpus: job.gpus,
      assignedGpus: job.assignedGpus,
      ...(job.runId && job.runsDir
        ? readRunProgress(join(job.runsDir, job.runId))
        : { step: null, totalSteps: null, loss: null }),
      message: job.message,
    })),
    deviceHours: deviceHours(db),
    gpus: { inUse: running.reduce((sum, job) => sum + job.gpus, 0), total },
    workers,
  };
}

// The queue stage: jobs, attempts, schedules and workers in one embedded SQLite database.
export { openDb, dbPath, immediate, type Db } from "./db.js";
export { SCHEMA_VERSION } from "./migrations.js";
export {
  enqueue,
  getJob,
  listJobs,
  cancelJob,
  countByState,
  parseJobId,
  jobId,
  JOB_STATES,
  type Job,
  type JobState,
  type NewJob,
} from "./jobs.js";
export { claimJob, releaseClaim, type Claim, type ClaimRequest } from "./claim.js";
export { renewLease, requeueExpired, type PriceFn } from "./lease.js";
export { finishAttempt, retriesUsed, type AttemptOutcome, type AttemptEnd } from "./finish.js";
export {
  listAttempts,
  getAttempt,
  spendSince,
  costByProject,
  deviceHours,
  type Attempt,
} from "./attempts.js";
export { backoffMs, backoffFromEnv, DEFAULT_BACKOFF, type Backoff } from "./backoff.js";
export {
  addSchedule,
  listSchedules,
  removeSchedule,
  evaluateSchedules,
  type Schedule,
  type NewSchedule,
  type Fired,
} from "./schedules.js";
export { checkCron, nextOccurrence } from "./cron.js";
export { aliveWorkers, type WorkerRow } from "./workers.js";
export { parseNvidiaSmi, discoverGpus, workerDevices, type Gpu } from "./gpus.js";
export { takeSnapshot, type WorkerSnapshot, type RunningJob } from "./snapshot.js";
export { readRunProgress, type RunProgress } from "../run-dir/index.js";
export type { WorkerHooks, QueueHooks, Decision } from "./hooks.js";
export { runWorker, type WorkerOptions } from "./worker/worker.js";

import type { Db } from "./db.js";
import { immediate } from "./db.js";
import { rowToJob, type Job } from "./jobs.js";

export interface ClaimRequest {
  worker: string;
  /** GPUs this worker has free now. */
  freeGpus: number;
  /** Whether it can take a job that asks for no GPU (one such job at a time per worker). */
  cpuSlotFree: boolean;
  now: number;
  leaseMs: number;
  /** Absolute runs directory, kept on the job so every later attempt resumes in the same place. */
  runsDir: string;
  /** A run id for a job's first attempt; later attempts keep the first one and resume it. */
  newRunId: (job: Job) => string;
}

export interface Claim {
  job: Job;
  /** The attempt number (1 for the first). */
  attempt: number;
}

/**
 * Takes the best runnable job — highest priority, then oldest; backoff passed; fits the free GPUs — and
 * marks it running under this worker with a lease, in one IMMEDIATE transaction: two workers never
 * take the same job. Returns undefined when nothing fits.
 */
export function claimJob(db: Db, request: ClaimRequest): Claim | undefined {
  return immediate(db, () => {
    const row = db
      .prepare(
        `SELECT * FROM jobs WHERE state = 'queued' AND not_before <= ?
           AND ((gpus = 0 AND ?) OR (gpus > 0 AND gpus <= ?))
         ORDER BY priority DESC, seq LIMIT 1`,
      )
      .get(request.now, request.cpuSlotFree ? 1 : 0, request.freeGpus) as
      Record<string, string | number | null> | undefined;
    if (!row) return undefined;
    const job = rowToJob(row);
    const runId = job.runId ?? request.newRunId(job);
    const attempt = job.attempts + 1;
    const claimed = db
      .prepare(
        `UPDATE jobs SET state = 'running', worker = ?, lease_ms = ?, lease_expires_at = ?,
           attempts = ?, run_id = ?, runs_dir = coalesce(runs_dir, ?), message = NULL, updated_at = ?
         WHERE seq = ? RETURNING *`,
      )
      .get(
        request.worker,
        request.leaseMs,
        request.now + request.leaseMs,
        attempt,
        runId,
        request.runsDir,
        request.now,
        job.seq,
      ) as Record<string, string | number | null>;
    db.prepare(
      "INSERT INTO attempts (job, n, worker, run_id, started_at, gpus) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(job.seq, attempt, request.worker, runId, request.now, job.gpus);
    return { job: rowToJob(claimed), attempt };
  });
}

/**
 * Gives a claimed job back without counting the attempt (a hook refused to start it): queued again,
 * with the reason shown in `queue list`, not before `notBefore`.
 */
export function releaseClaim(db: Db, claim: Claim, message: string, notBefore: number, now: number): void {
  immediate(db, () => {
    db.prepare("DELETE FROM attempts WHERE job = ? AND n = ?").run(claim.job.seq, claim.attempt);
    db.prepare(
      `UPDATE jobs SET state = 'queued', worker = NULL, lease_expires_at = NULL, assigned_gpus = NULL,
         attempts = attempts - 1, not_before = ?, message = ?, updated_at = ?
       WHERE seq = ? AND worker = ?`,
    ).run(notBefore, message, now, claim.job.seq, claim.job.worker);
  });
}

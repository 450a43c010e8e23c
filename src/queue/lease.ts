import type { Db } from "./db.js";
import { immediate } from "./db.js";
import { rowToJob, type Job } from "./jobs.js";
import { retriesUsed } from "./finish.js";

export interface LeaseState {
  /** False when the job is no longer this worker's (its lease expired and it was requeued). */
  owned: boolean;
  cancelRequested: boolean;
}

/** Extends a running job's lease; the worker calls it every lease/3. */
export function renewLease(db: Db, seq: number, worker: string, now: number): LeaseState {
  const row = db
    .prepare(
      `UPDATE jobs SET lease_expires_at = ? + lease_ms, updated_at = ?
       WHERE seq = ? AND worker = ? AND state = 'running' RETURNING cancel_requested`,
    )
    .get(now, now, seq, worker) as { cancel_requested: number } | undefined;
  return { owned: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
}

export type PriceFn = (
  deviceType: string,
  deviceHours: number,
) => { cost: number; currency: string } | undefined;

/**
 * Running jobs whose lease has expired belonged to a worker that died: their open attempt is recorded
 * as `lost` (ending at the last heartbeat), and the job goes back to the queue keeping its run id, so
 * the next attempt resumes the run from its newest complete checkpoint. A lost attempt counts against
 * max_retries (a job that kills its worker every time must stop somewhere); a cancelled one ends.
 */
export function requeueExpired(db: Db, now: number, price?: PriceFn): Job[] {
  return immediate(db, () => {
    const rows = db
      .prepare("SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < ?")
      .all(now) as Record<string, string | number | null>[];
    const requeued: Job[] = [];
    for (const row of rows) {
      const job = rowToJob(row);
      const lastBeat = (job.leaseExpiresAt ?? now) - ((row.lease_ms as number | null) ?? 0);
      closeLostAttempt(db, job, lastBeat, price);
      const exhausted = retriesUsed(db, job.seq) > job.maxRetries;
      const state = job.cancelRequested ? "cancelled" : exhausted ? "failed" : "queued";
      const message = job.cancelRequested
        ? "cancelled (its worker stopped responding)"
        : exhausted
          ? `worker ${job.worker} stopped responding; no retries left (max_retries ${job.maxRetries})`
          : `worker ${job.worker} stopped responding; requeued to resume ${job.runId}`;
      db.prepare(
        `UPDATE jobs SET state = ?, worker = NULL, lease_expires_at = NULL, assigned_gpus = NULL,
           outcome = 'lost', message = ?, updated_at = ? WHERE seq = ?`,
      ).run(state, message, now, job.seq);
      requeued.push({ ...job, state });
    }
    return requeued;
  });
}

function closeLostAttempt(db: Db, job: Job, endedAt: number, price?: PriceFn): void {
  const attempt = db
    .prepare(
      "SELECT n, started_at, device_type, gpus FROM attempts WHERE job = ? AND n = ? AND outcome IS NULL",
    )
    .get(job.seq, job.attempts) as
    { n: number; started_at: number; device_type: string | null; gpus: number } | undefined;
  if (!attempt) return;
  const ended = Math.max(endedAt, attempt.started_at);
  const deviceHours = ((ended - attempt.started_at) / 3_600_000) * Math.max(attempt.gpus, 1);
  const priced = attempt.device_type ? price?.(attempt.device_type, deviceHours) : undefined;
  db.prepare(
    `UPDATE attempts SET outcome = 'lost', ended_at = ?, error = 'worker stopped responding (lease expired)',
       device_hours = ?, cost = ?, currency = ? WHERE job = ? AND n = ?`,
  ).run(ended, deviceHours, priced?.cost ?? null, priced?.currency ?? null, job.seq, attempt.n);
}

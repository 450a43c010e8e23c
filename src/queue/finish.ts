import type { Db } from "./db.js";
import { immediate } from "./db.js";
import type { JobState } from "./jobs.js";
import { backoffMs, DEFAULT_BACKOFF, type Backoff } from "./backoff.js";

/**
 * How an attempt ended:
 * - `done`: exit 0. `gates-failed`: exit 1 with the run trained and its report saying a gate failed —
 *   the job is done (retrying would train the same thing again), the outcome says so.
 * - `failed`: any other non-zero exit; retried with backoff while retries are left.
 * - `invalid`: exit 2, a config or input problem; retrying cannot help, so the job fails at once.
 * - `timeout`: the run passed the job's max_hours and was stopped; the job fails.
 * - `cancelled`: `queue cancel` stopped it. `interrupted`: the worker itself was stopped (SIGTERM/Ctrl-C):
 *   the job is queued again at once and the attempt does not count against max_retries.
 * - `lost`: the run's machine went away (a Ray node died, exit 75), or (requeueExpired) its worker did;
 *   retried like `failed`, resuming from the newest checkpoint in the store.
 */
export type AttemptOutcome =
  "done" | "gates-failed" | "failed" | "invalid" | "timeout" | "cancelled" | "interrupted" | "lost";

export interface AttemptEnd {
  seq: number;
  attempt: number;
  worker: string;
  outcome: AttemptOutcome;
  exitCode: number | null;
  error?: string | null;
  deviceType: string;
  deviceHours: number;
  cost?: { cost: number; currency: string } | undefined;
  now: number;
}

/** Attempts that count against max_retries. */
export function retriesUsed(db: Db, seq: number): number {
  const row = db
    .prepare("SELECT count(*) AS n FROM attempts WHERE job = ? AND outcome IN ('failed', 'lost')")
    .get(seq) as { n: number };
  return row.n;
}

/**
 * Records an attempt's end and moves its job on. The job changes only while this worker still holds it:
 * a worker whose lease expired (and whose job another worker took) must not overwrite the new owner.
 */
export function finishAttempt(
  db: Db,
  end: AttemptEnd,
  backoff: Backoff = DEFAULT_BACKOFF,
  random = Math.random,
): { state: JobState; notBefore: number } | undefined {
  return immediate(db, () => {
    db.prepare(
      `UPDATE attempts SET outcome = ?, ended_at = ?, exit_code = ?, error = ?, device_type = ?,
         device_hours = ?, cost = ?, currency = ?
       WHERE job = ? AND n = ? AND outcome IS NULL`,
    ).run(
      end.outcome,
      end.now,
      end.exitCode,
      end.error ?? null,
      end.deviceType,
      end.deviceHours,
      end.cost?.cost ?? null,
      end.cost?.currency ?? null,
      end.seq,
      end.attempt,
    );
    const job = db
      .prepare("SELECT max_retries FROM jobs WHERE seq = ? AND worker = ? AND state = 'running'")
      .get(end.seq, end.worker) as { max_retries: number } | undefined;
    if (!job) return undefined;
    const next = nextState(end.outcome, retriesUsed(db, end.seq), job.max_retries);
    const notBefore = next.retry ? end.now + backoffMs(retriesUsed(db, end.seq), backoff, random) : 0;
    const message =
      next.retry && (end.outcome === "failed" || end.outcome === "lost")
        ? `attempt ${end.attempt} ${end.outcome} (${end.error ?? `exit ${end.exitCode}`}); retrying after ${new Date(notBefore).toISOString()}`
        : (end.error ?? null);
    db.prepare(
      `UPDATE jobs SET state = ?, outcome = ?, message = ?, not_before = ?, worker = NULL,
         lease_expires_at = NULL, assigned_gpus = NULL, cancel_requested = 0, updated_at = ?
       WHERE seq = ?`,
    ).run(next.state, end.outcome, message, notBefore, end.now, end.seq);
    return { state: next.state, notBefore };
  });
}

function nextState(
  outcome: AttemptOutcome,
  used: number,
  maxRetries: number,
): { state: JobState; retry: boolean } {
  switch (outcome) {
    case "done":
    case "gates-failed":
      return { state: "done", retry: false };
    case "cancelled":
      return { state: "cancelled", retry: false };
    case "interrupted":
      return { state: "queued", retry: false };
    case "failed":
    case "lost":
      return used <= maxRetries ? { state: "queued", retry: true } : { state: "failed", retry: false };
    default:
      return { state: "failed", retry: false };
  }
}

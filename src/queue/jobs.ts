import { UsageError } from "../errors/index.js";
import type { Db } from "./db.js";
import { immediate } from "./db.js";

export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  id: string;
  seq: number;
  config: string;
  configHash: string;
  project: string;
  priority: number;
  gpus: number;
  maxRetries: number;
  maxHours: number | null;
  state: JobState;
  attempts: number;
  notBefore: number;
  runId: string | null;
  runsDir: string | null;
  worker: string | null;
  assignedGpus: string | null;
  leaseExpiresAt: number | null;
  cancelRequested: boolean;
  /** The last attempt's outcome (done, gates-failed, failed, lost, timeout, cancelled…). */
  outcome: string | null;
  /** Why the job is waiting, failed or was refused, for `queue list` and `status`. */
  message: string | null;
  schedule: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewJob {
  config: string;
  configHash: string;
  project?: string;
  priority?: number;
  gpus?: number;
  maxRetries?: number;
  maxHours?: number | null;
  schedule?: string | null;
}

export const jobId = (seq: number) => `job-${String(seq).padStart(6, "0")}`;

/** `job-000123`, `000123` or `123` → 123. */
export function parseJobId(text: string): number {
  const match = /^(?:job-)?0*(\d+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError("bad-job-id", `"${text}" is not a job id`, {
      hint: "job ids look like job-000123; `pipeline queue list` shows them",
    });
  }
  return Number(match[1]);
}

type Row = Record<string, string | number | null>;

export function rowToJob(row: Row): Job {
  const n = (key: string) => row[key] as number;
  const s = (key: string) => row[key] as string | null;
  return {
    id: jobId(n("seq")),
    seq: n("seq"),
    config: s("config")!,
    configHash: s("config_hash")!,
    project: s("project")!,
    priority: n("priority"),
    gpus: n("gpus"),
    maxRetries: n("max_retries"),
    maxHours: row.max_hours as number | null,
    state: s("state") as JobState,
    attempts: n("attempts"),
    notBefore: n("not_before"),
    runId: s("run_id"),
    runsDir: s("runs_dir"),
    worker: s("worker"),
    assignedGpus: s("assigned_gpus"),
    leaseExpiresAt: row.lease_expires_at as number | null,
    cancelRequested: n("cancel_requested") === 1,
    outcome: s("outcome"),
    message: s("message"),
    schedule: s("schedule"),
    createdAt: n("created_at"),
    updatedAt: n("updated_at"),
  };
}

export function enqueue(db: Db, job: NewJob, now: number): Job {
  const row = db
    .prepare(
      `INSERT INTO jobs (config, config_hash, project, priority, gpus, max_retries, max_hours, state,
         schedule, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?) RETURNING *`,
    )
    .get(
      job.config,
      job.configHash,
      job.project ?? "default",
      job.priority ?? 0,
      job.gpus ?? 0,
      job.maxRetries ?? 2,
      job.maxHours ?? null,
      job.schedule ?? null,
      now,
      now,
    ) as Row;
  return rowToJob(row);
}

export function getJob(db: Db, seq: number): Job | undefined {
  const row = db.prepare("SELECT * FROM jobs WHERE seq = ?").get(seq) as Row | undefined;
  return row && rowToJob(row);
}

export function listJobs(db: Db, state?: JobState): Job[] {
  const rows = state
    ? db.prepare("SELECT * FROM jobs WHERE state = ? ORDER BY seq").all(state)
    : db.prepare("SELECT * FROM jobs ORDER BY seq").all();
  return (rows as Row[]).map(rowToJob);
}

export function countByState(db: Db): Record<JobState, number> {
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  const rows = db.prepare("SELECT state, count(*) AS n FROM jobs GROUP BY state").all() as Row[];
  for (const row of rows) counts[row.state as JobState] = row.n as number;
  return counts;
}

/**
 * A queued job is cancelled at once. A running one is flagged: its worker sees the flag at its next
 * heartbeat, stops the run (SIGTERM: a checkpoint, exit 130) and marks the job cancelled.
 */
export function cancelJob(db: Db, seq: number, now: number): Job {
  return immediate(db, () => {
    const job = getJob(db, seq);
    if (!job) {
      throw new UsageError("job-not-found", `no job ${jobId(seq)}`, {
        hint: "`pipeline queue list` shows the jobs",
      });
    }
    if (job.state === "queued") {
      db.prepare(
        "UPDATE jobs SET state = 'cancelled', outcome = 'cancelled', message = 'cancelled before it started', updated_at = ? WHERE seq = ?",
      ).run(now, seq);
    } else if (job.state === "running") {
      db.prepare(
        "UPDATE jobs SET cancel_requested = 1, message = 'cancel requested', updated_at = ? WHERE seq = ?",
      ).run(now, seq);
    } else {
      throw new UsageError(
        "job-finished",
        `${job.id} is already ${job.state}; only queued or running jobs can be cancelled`,
      );
    }
    return getJob(db, seq)!;
  });
}

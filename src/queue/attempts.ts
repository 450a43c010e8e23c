import type { Db } from "./db.js";

export interface Attempt {
  job: string;
  n: number;
  worker: string;
  runId: string | null;
  resumed: boolean;
  startedAt: number;
  endedAt: number | null;
  /** null while the attempt runs; then done, gates-failed, failed, invalid, timeout, cancelled, interrupted, lost. */
  outcome: string | null;
  exitCode: number | null;
  error: string | null;
  deviceType: string | null;
  gpus: number;
  deviceHours: number | null;
  cost: number | null;
  currency: string | null;
}

type Row = Record<string, string | number | null>;
function rowToAttempt(row: Row): Attempt {
  return {
    job: `job-${String(row.job).padStart(6, "0")}`,
    n: row.n as number,
    worker: row.worker as string,
    runId: row.run_id as string | null,
    resumed: row.resumed === 1,
    startedAt: row.started_at as number,
    endedAt: row.ended_at as number | null,
    outcome: row.outcome as string | null,
    exitCode: row.exit_code as number | null,
    error: row.error as string | null,
    deviceType: row.device_type as string | null,
    gpus: row.gpus as number,
    deviceHours: row.device_hours as number | null,
    cost: row.cost as number | null,
    currency: row.currency as string | null,
  };
}

export function listAttempts(db: Db, seq?: number): Attempt[] {
  const rows =
    seq === undefined
      ? db.prepare("SELECT * FROM attempts ORDER BY job, n").all()
      : db.prepare("SELECT * FROM attempts WHERE job = ? ORDER BY n").all(seq);
  return (rows as Row[]).map(rowToAttempt);
}

export function getAttempt(db: Db, seq: number, n: number): Attempt | undefined {
  const row = db.prepare("SELECT * FROM attempts WHERE job = ? AND n = ?").get(seq, n) as Row | undefined;
  return row && rowToAttempt(row);
}

/** What the worker knows once the run is about to start: the devices and whether it resumes. */
export function markStarted(
  db: Db,
  seq: number,
  n: number,
  start: { deviceType: string; assignedGpus: string; resumed: boolean },
): void {
  db.prepare("UPDATE attempts SET device_type = ?, resumed = ? WHERE job = ? AND n = ?").run(
    start.deviceType,
    start.resumed ? 1 : 0,
    seq,
    n,
  );
  db.prepare("UPDATE jobs SET assigned_gpus = ? WHERE seq = ?").run(start.assignedGpus, seq);
}

/** Money spent by a project's attempts that ended since `sinceIso` (budgets compare against it). */
export function spendSince(db: Db, project: string, sinceIso: string): number {
  const row = db
    .prepare(
      `SELECT coalesce(sum(a.cost), 0) AS total FROM attempts a JOIN jobs j ON j.seq = a.job
       WHERE j.project = ? AND a.ended_at >= ? AND a.cost IS NOT NULL`,
    )
    .get(project, Date.parse(sinceIso)) as { total: number };
  return row.total;
}

/** Device-hours of ended attempts, in total and per device type. */
export function deviceHours(db: Db): { total: number; byDeviceType: Record<string, number> } {
  const rows = db
    .prepare(
      "SELECT coalesce(device_type, 'unknown') AS type, sum(device_hours) AS hours FROM attempts WHERE device_hours IS NOT NULL GROUP BY type",
    )
    .all() as { type: string; hours: number }[];
  const byDeviceType = Object.fromEntries(rows.map((row) => [row.type, row.hours]));
  return { total: rows.reduce((sum, row) => sum + row.hours, 0), byDeviceType };
}

/** Money spent per project and currency by ended attempts, for the metrics endpoint. */
export function costByProject(db: Db): { project: string; currency: string; value: number }[] {
  return db
    .prepare(
      `SELECT j.project AS project, coalesce(a.currency, 'USD') AS currency, sum(a.cost) AS value
       FROM attempts a JOIN jobs j ON j.seq = a.job WHERE a.cost IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all() as { project: string; currency: string; value: number }[];
}

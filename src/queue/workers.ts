import type { Db } from "./db.js";

export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  /** GPU indices it owns, comma-separated ("" for a CPU worker). */
  gpus: string;
  deviceType: string;
  startedAt: number;
  heartbeatAt: number;
}

export function registerWorker(db: Db, worker: WorkerRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO workers (id, host, pid, gpus, device_type, started_at, heartbeat_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    worker.id,
    worker.host,
    worker.pid,
    worker.gpus,
    worker.deviceType,
    worker.startedAt,
    worker.heartbeatAt,
  );
}

export function beatWorker(db: Db, id: string, now: number): void {
  db.prepare("UPDATE workers SET heartbeat_at = ? WHERE id = ?").run(now, id);
}

export function removeWorker(db: Db, id: string): void {
  db.prepare("DELETE FROM workers WHERE id = ?").run(id);
}

/** Workers that heartbeated within `withinMs` (a worker beats every lease/3; 2 × the default lease). */
export function aliveWorkers(db: Db, now: number, withinMs = 120_000): WorkerRow[] {
  const rows = db
    .prepare("SELECT * FROM workers WHERE heartbeat_at >= ? ORDER BY started_at")
    .all(now - withinMs) as Record<string, string | number>[];
  return rows.map((row) => ({
    id: row.id as string,
    host: row.host as string,
    pid: row.pid as number,
    gpus: row.gpus as string,
    deviceType: row.device_type as string,
    startedAt: row.started_at as number,
    heartbeatAt: row.heartbeat_at as number,
  }));
}

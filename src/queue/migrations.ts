import type { DatabaseSync } from "node:sqlite";

/**
 * Every schema change, in order. A database records the highest version it has; opening it applies the
 * rest in one transaction. Append only: never edit a migration that has shipped.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    config TEXT NOT NULL,
    config_hash TEXT NOT NULL,
    project TEXT NOT NULL DEFAULT 'default',
    priority INTEGER NOT NULL DEFAULT 0,
    gpus INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 2,
    max_hours REAL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    run_id TEXT,
    runs_dir TEXT,
    worker TEXT,
    assigned_gpus TEXT,
    lease_ms INTEGER,
    lease_expires_at INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    message TEXT,
    schedule TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX jobs_claim ON jobs (state, priority DESC, seq);
  CREATE TABLE attempts (
    job INTEGER NOT NULL REFERENCES jobs (seq) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    worker TEXT NOT NULL,
    run_id TEXT,
    resumed INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    outcome TEXT,
    exit_code INTEGER,
    error TEXT,
    device_type TEXT,
    gpus INTEGER NOT NULL DEFAULT 0,
    device_hours REAL,
    cost REAL,
    currency TEXT,
    PRIMARY KEY (job, n)
  );
  CREATE INDEX attempts_ended ON attempts (ended_at);
  CREATE TABLE schedules (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    cron TEXT NOT NULL,
    config TEXT NOT NULL,
    timezone TEXT,
    job_options TEXT NOT NULL DEFAULT '{}',
    next_due INTEGER NOT NULL,
    last_fired INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    gpus TEXT NOT NULL,
    device_type TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: DatabaseSync): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  db.exec("BEGIN IMMEDIATE");
  try {
    const row = db.prepare("SELECT max(version) AS v FROM schema_version").get() as { v: number | null };
    for (let version = (row.v ?? 0) + 1; version <= MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(version);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

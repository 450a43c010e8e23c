import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { migrate } from "./migrations.js";

export type Db = DatabaseSync;

/** Where the state database lives: `--db`, then `PIPELINE_DB`, then `.pipeline/state.db` under cwd. */
export function dbPath(option?: string, env = process.env, cwd = process.cwd()): string {
  return resolve(cwd, option ?? env.PIPELINE_DB ?? ".pipeline/state.db");
}

/**
 * Opens (creating when needed) the state database and brings its schema up to date. WAL lets readers
 * (`status`, `queue list`) run beside a writing worker; busy_timeout makes a second writer wait for the
 * lock instead of failing with SQLITE_BUSY.
 */
export function openDb(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file, { timeout: 10_000 });
  db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;");
  db.exec("PRAGMA synchronous = NORMAL;");
  migrate(db);
  return db;
}

/**
 * Runs `work` inside `BEGIN IMMEDIATE`: the write lock is taken up front, so two processes deciding on
 * the same rows (claiming a job, firing a schedule) are serialized rather than both reading then writing.
 */
export function immediate<T>(db: Db, work: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

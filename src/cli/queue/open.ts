import { dbPath, openDb, type Db } from "../../queue/index.js";

/** The state database of `--db`, PIPELINE_DB or `.pipeline/state.db`, for one command; closed after. */
export async function withDb<T>(option: string | undefined, work: (db: Db) => Promise<T> | T): Promise<T> {
  const db = openDb(dbPath(option));
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** A hidden `--now <iso>` (tests) or the clock. */
export function clock(now?: string): () => number {
  if (now === undefined) return Date.now;
  const fixed = Date.parse(now);
  if (Number.isNaN(fixed)) throw new Error(`--now ${now}: not an ISO date`);
  return () => fixed;
}

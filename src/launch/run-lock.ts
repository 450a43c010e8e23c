import { join } from "node:path";
import { UsageError } from "../errors/index.js";
import { lockHolder, tryLock } from "./pid-lock.js";

/** `<run-dir>/run.lock` holds the pid of the `pipeline run` working in that directory. */
export const lockFile = (runDir: string) => join(runDir, "run.lock");

/** The living pid that holds a run directory, or undefined when it is free (no lock, or a stale one). */
export const runLockHolder = (runDir: string): number | undefined => lockHolder(lockFile(runDir));

/**
 * Takes the run directory for this process, so a resume never runs beside a still-living run of the same
 * id (a worker presumed dead whose run has not stopped yet). A lock left by a dead pid is taken over.
 * Returns the release function; a process killed outright leaves a stale lock, which is fine.
 */
export function acquireRunLock(runDir: string, id: string): () => void {
  const got = tryLock(lockFile(runDir));
  if (typeof got === "function") return got;
  throw new UsageError("run-locked", `run ${id} is in use by process ${got.holder}`, {
    hint: `wait for it to end (or stop it: kill ${got.holder}), then try again`,
  });
}

import { UsageError } from "../errors/index.js";
import { lockHolder, tryLock } from "./pid-lock.js";
import type { RunPaths } from "./paths.js";

/** The living pid that holds a run directory (run.lock), or undefined when it is free (no lock, or a stale one). */
export const runLockHolder = (paths: RunPaths): number | undefined => lockHolder(paths.lock);

/**
 * Takes the run directory for this process, so a resume never runs beside a still-living run of the same
 * id (a worker presumed dead whose run has not stopped yet). A lock left by a dead pid is taken over.
 * Returns the release function; a process killed outright leaves a stale lock, which is fine.
 */
export function acquireRunLock(paths: RunPaths): () => void {
  const got = tryLock(paths.lock);
  if (typeof got === "function") return got;
  throw new UsageError("run-locked", `run ${paths.id} is in use by process ${got.holder}`, {
    hint: `wait for it to end (or stop it: kill ${got.holder}), then try again`,
  });
}

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors/index.js";

/** `<run-dir>/run.lock` holds the pid of the `pipeline run` working in that directory. */
export const lockFile = (runDir: string) => join(runDir, "run.lock");

/** The living pid that holds a run directory, or undefined when it is free (no lock, or a stale one). */
export function runLockHolder(runDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(runDir), "utf8").trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the run directory for this process, so a resume never runs beside a still-living run of the same
 * id (a worker presumed dead whose run has not stopped yet). A lock left by a dead pid is taken over.
 * Returns the release function; a process killed outright leaves a stale lock, which is fine.
 */
export function acquireRunLock(runDir: string, id: string): () => void {
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(lockFile(runDir), `${process.pid}\n`, { flag: "wx" });
      const release = () => rmSync(lockFile(runDir), { force: true });
      process.once("exit", release);
      return () => {
        process.off("exit", release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = runLockHolder(runDir);
      if (holder !== undefined) {
        throw new UsageError("run-locked", `run ${id} is in use by process ${holder}`, {
          hint: `wait for it to end (or stop it: kill ${holder}), then try again`,
        });
      }
      rmSync(lockFile(runDir), { force: true });
    }
  }
  throw new UsageError("run-locked", `run ${id}: could not take ${lockFile(runDir)}`);
}

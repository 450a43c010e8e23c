import { runDirPaths, runLockHolder } from "../../run-dir/index.js";

/**
 * Before resuming, waits (up to `timeoutMs`) for a run of the same id that may still be alive — its worker
 * was presumed dead, but the run itself stops only within a second or two of noticing — to let go.
 * Returns the pid still holding it, or undefined when the directory is free.
 */
export async function waitForRunLock(runDir: string, timeoutMs = 30_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let holder = runLockHolder(runDirPaths(runDir));
  while (holder !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    holder = runLockHolder(runDirPaths(runDir));
  }
  return holder;
}

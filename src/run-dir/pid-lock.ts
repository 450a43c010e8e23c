import { readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * A lock file holding the pid of its owner: taken with an exclusive create, taken over when its pid is dead
 * (a process killed outright leaves it behind). Used for run directories.
 */
export type Release = () => void;

/** The living pid that holds `file`, or undefined when it is free (no file, or a dead pid's). */
export function lockHolder(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(file, "utf8").trim());
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

/** Takes `file` for this process: the release function, or the pid of the living holder. */
export function tryLock(file: string): Release | { holder: number } {
  for (let tries = 0; tries < 3; tries++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      const release = () => rmSync(file, { force: true });
      process.once("exit", release);
      return () => {
        process.off("exit", release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = lockHolder(file);
      if (holder !== undefined) return { holder };
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

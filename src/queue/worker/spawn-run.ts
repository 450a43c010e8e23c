import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface RunningChild {
  pid: number | undefined;
  exited: Promise<{ code: number | null; signal: string | null }>;
  /** SIGTERM (the run saves a checkpoint and exits 130), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): void;
  /** The end of the log, for the attempt's error message. */
  logTail(): string;
}

/**
 * Starts `node <bin> <args>` with stdout and stderr appended to `<run-dir>/worker.log`. PIPELINE_PARENT_PID
 * makes the run stop itself if this worker dies without a chance to stop it (SIGKILL).
 */
export function spawnRun(
  bin: string,
  args: string[],
  runDir: string,
  env: Record<string, string>,
): RunningChild {
  mkdirSync(runDir, { recursive: true });
  const logPath = join(runDir, "worker.log");
  const log = openSync(logPath, "a");
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ["ignore", log, log],
    env: { ...process.env, CI: "1", ...env, PIPELINE_PARENT_PID: String(process.pid) },
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once("error", () => resolve({ code: null, signal: null }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  let killer: NodeJS.Timeout | undefined;
  void exited.then(() => clearTimeout(killer));
  return {
    pid: child.pid,
    exited,
    stop(graceMs = 120_000) {
      if (child.exitCode !== null || child.signalCode !== null || killer) return;
      child.kill("SIGTERM");
      killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    },
    logTail() {
      try {
        const size = statSync(logPath).size;
        return readFileSync(logPath, "utf8").slice(Math.max(0, size - 16_384));
      } catch {
        return "";
      }
    },
  };
}

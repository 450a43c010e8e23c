import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { execa } from "execa";
import { trackScript } from "./paths.js";

/**
 * docker/track.py (TensorBoard and W&B writers) as a child process fed on stdin, its stderr appended to
 * `logFile`. In its own process group, so a Ctrl-C reaches only the orchestrator, which closes it properly.
 */
export function startTrackingWriter(python: string, logFile: string): ChildProcess {
  return spawn(python, ["-u", trackScript], {
    stdio: ["pipe", "pipe", openSync(logFile, "a")],
    env: { ...process.env, PYTHONUNBUFFERED: "1", WANDB_SILENT: "true" },
    detached: true,
  });
}

/** The commit checked out in the git repository holding `dir`; undefined outside one (or without git). */
export async function gitCommit(dir: string): Promise<string | undefined> {
  const result = await execa("git", ["-C", dir, "rev-parse", "HEAD"], { reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

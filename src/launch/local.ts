import { execa } from "execa";
import { eventsFromLines } from "./event-lines.js";
import type { StartOptions, TrainerExit, TrainerHandle } from "./runtime.js";
import { trainerScript } from "./paths.js";
import { localRanksEnv, trainerArgs } from "./trainer-args.js";

/**
 * The `local` runtime: the trainer as a child process of this one, in the managed venv (or a given python);
 * with several processes, torchrun as the child and the trainers under it (SIGTERM reaches them through it).
 */
export function startLocal(python: string, options: StartOptions, processes = 1): TrainerHandle {
  const child = execa(python, trainerArgs(trainerScript, options.specPath, processes), {
    stdin: "ignore",
    stdout: "pipe",
    stderr: { file: options.logPath, append: true },
    env: { PYTHONUNBUFFERED: "1", ...localRanksEnv(processes, process.env), ...options.env },
    reject: false,
    buffer: false,
    // The trainer finishes its step and saves a checkpoint on SIGTERM; cancel() decides when to SIGKILL.
    forceKillAfterDelay: false,
  });
  let exited = false;
  const exit: Promise<TrainerExit> = child.then((result) => {
    exited = true;
    return { exitCode: result.exitCode, signal: result.signal };
  });

  return {
    events: eventsFromLines(child.iterable({ from: "stdout" }), options.logPath),
    wait: () => exit,
    async cancel(graceMs = 120_000) {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

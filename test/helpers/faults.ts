import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { root, type CliResult } from "./cli.js";
import { livingRuns } from "./queue.js";
import { readEvents, trainingWorkspace } from "./run-workspace.js";

// The fault matrix's tools: tiny runs, started in the background and killed (or starved) at a chosen moment.

/** A few steps on a slice of the demo data; with `evaluate`, a held-out split scored by short generations. */
export async function faultWorkspace(training: Record<string, number>, options: { evaluate?: boolean } = {}) {
  const cwd = await trainingWorkspace(training, { train: 96, eval: 8 });
  const file = join(cwd, "configs/run.yaml");
  let text = readFileSync(file, "utf8").replace("max_new_tokens: 48", "max_new_tokens: 8");
  if (!options.evaluate)
    text = text.replace("    eval_path: ../data/eval.jsonl\n", "    eval_split: 0\n") + "  suites: []\n";
  await writeFile(file, text);
  return { cwd, runsDir: join(cwd, "runs") };
}

export interface Started {
  exited: Promise<number | null>;
  output(): string;
  running(): boolean;
}

/**
 * `pipeline <args>` in the background, its output collected. The fault matrix runs its cases side by side in
 * one process, so it never waits on a child synchronously (that would freeze every other case's clock).
 */
export function startPipeline(
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Started & { result: Promise<CliResult> } {
  const child = spawn(process.execPath, [join(root, "bin/pipeline.js"), ...args], {
    cwd,
    env: { ...env, CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    exited,
    result: exited.then((code) => ({ code, stdout, stderr })),
    output: () => stdout + stderr,
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** `pipeline <args>` to its end, without blocking this process. */
export const finishPipeline = (cwd: string, args: string[], env: NodeJS.ProcessEnv) =>
  startPipeline(cwd, args, env).result;

/** The machine dies: every process of the runs dir (`pipeline run`, trainer, generation) is SIGKILLed at once. */
export function killRuns(runsDir: string): number {
  const pids = livingRuns(runsDir);
  for (const pid of pids) process.kill(pid, "SIGKILL");
  return pids.length;
}

/** Polls every 50 ms until `ready()` or 5 minutes; false when it gave up. */
export async function until(ready: () => boolean): Promise<boolean> {
  for (let i = 0; i < 6000; i++) {
    if (ready()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** The events of the one run under runsDir so far (none while it has none). */
export function eventsSoFar(runsDir: string): { type: string; [key: string]: unknown }[] {
  const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
  if (!run || !existsSync(join(runsDir, run, "events.jsonl"))) return [];
  try {
    return readEvents(join(runsDir, run));
  } catch {
    return []; // a line being written
  }
}

export const checkpointsSeen = (runsDir: string) =>
  eventsSoFar(runsDir)
    .filter((e) => e.type === "checkpoint")
    .map((e) => e.step as number);

export const startSteps = (runDir: string) =>
  readEvents(runDir)
    .filter((e) => e.type === "start")
    .map((e) => e.start_step as number);

/** A process whose command line holds both texts is alive (e.g. generate.py of a run dir). */
export function processWith(...texts: string[]): boolean {
  return readdirSync("/proc").some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      return texts.every((text) => cmdline.includes(text));
    } catch {
      return false;
    }
  });
}

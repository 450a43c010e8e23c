import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline, root } from "./cli.js";
import { trainingWorkspace } from "./run-workspace.js";

// The queue end to end: real `pipeline worker --cpu` processes running real (tiny) trainings.
export const TINY = { max_steps: 2, logging_steps: 1, save_steps: 2 };
export const queueEnv = { ...process.env, CI: "1", PIPELINE_RETRY_BASE_MS: "500" };
const started: ChildProcess[] = [];

/** Kills workers a test left running (call from afterEach). */
export function killWorkers(): void {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
}

/** A workspace whose config trains a few steps with no held-out split (no eval: fast). */
export async function queueWorkspace(training: Record<string, number>, rows = { train: 32, eval: 4 }) {
  const cwd = await trainingWorkspace(training, rows);
  const file = join(cwd, "configs/run.yaml");
  const text = readFileSync(file, "utf8").replace(
    "    eval_path: ../data/eval.jsonl\n",
    "    eval_split: 0\n",
  );
  await writeFile(file, text + "  suites: []\n");
  return cwd;
}

export function startWorker(cwd: string, args: string[], env: NodeJS.ProcessEnv = queueEnv) {
  const child = spawn(
    process.execPath,
    [join(root, "bin/pipeline.js"), "worker", "--cpu", "--runs-dir", "runs", ...args],
    { cwd, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  started.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

export interface JobJson {
  id: string;
  state: string;
  outcome: string | null;
  runId: string;
  attempts: number;
  schedule: string | null;
  message: string | null;
}
export const jobs = (cwd: string, env: NodeJS.ProcessEnv = queueEnv) =>
  JSON.parse(pipeline(["queue", "list", "--json"], { cwd, env }).stdout) as JobJson[];

/** `pipeline run` processes and their trainers whose command line names the runs dir, still alive. */
export function livingRuns(runsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(runsDir)) pids.push(Number(entry));
    } catch {
      // ended while we looked
    }
  }
  return pids;
}

/**
 * The machine a worker runs on dies: the worker, its `pipeline run` and the trainer are SIGKILLed at once,
 * so nothing gets to save a checkpoint or record the attempt.
 */
export async function crashWorker(
  worker: { child: ChildProcess; exited: Promise<unknown> },
  runsDir: string,
) {
  const pids = [worker.child.pid!, ...livingRuns(runsDir)];
  for (const pid of pids) process.kill(pid, "SIGKILL");
  await worker.exited;
}

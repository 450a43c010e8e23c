import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { expect } from "vitest";
import { join } from "node:path";
import { workspace } from "./workspace.js";
import { root } from "./cli.js";

/** Events of a run directory, parsed. */
export function readEvents(runDir: string): { type: string; [key: string]: unknown }[] {
  return readFileSync(join(runDir, "events.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string });
}

/**
 * A workspace with a small training config on the built-in tiny model and slices of the bundled demo
 * data, so a real training run takes seconds.
 */
export async function trainingWorkspace(
  training: Record<string, number | boolean | string>,
  rows = { train: 256, eval: 16 },
) {
  const slice = (file: string, n: number) =>
    readFileSync(join(root, "datasets/quickstart", file), "utf8")
      .split("\n")
      .filter(Boolean)
      .slice(0, n)
      .join("\n") + "\n";
  const defaults = { micro_batch_size: 8, learning_rate: 0.002, max_seq_len: 128, precision: "fp32" };
  const settings = Object.entries({ ...defaults, ...training }).map(([key, value]) => `  ${key}: ${value}`);
  const config = [
    "base_model: builtin:tiny",
    "device: cpu",
    "datasets:",
    "  - path: ../data/train.jsonl",
    "    eval_path: ../data/eval.jsonl",
    "    template: chatml",
    "lora:",
    "  r: 8",
    "  alpha: 16",
    "  target_modules: all-linear",
    "training:",
    ...settings,
    "eval:",
    "  generate:",
    "    max_new_tokens: 48",
    "    batch_size: 16",
    "",
  ].join("\n");
  return workspace({
    "configs/run.yaml": config,
    "data/train.jsonl": slice("train.jsonl", rows.train),
    "data/eval.jsonl": slice("eval.jsonl", rows.eval),
  });
}

/** The one run directory under runsDir (tests start exactly one run per workspace). */
export function onlyRun(runsDir: string): { id: string; dir: string } {
  const runs = readdirSync(runsDir);
  expect(runs).toHaveLength(1);
  return { id: runs[0]!, dir: join(runsDir, runs[0]!) };
}

/** Polls until the single run under runsDir has logged step `step`, or `stopped()` says the run ended. */
export async function waitForStep(runsDir: string, step: number, stopped: () => boolean = () => false) {
  await waitForEvent(runsDir, (e) => e.type === "step" && (e.step as number) >= step, stopped);
}

/** Polls (up to 3 minutes) until the single run under runsDir has an event that matches, or `stopped()`. */
export async function waitForEvent(
  runsDir: string,
  match: (event: { type: string; [key: string]: unknown }) => boolean,
  stopped: () => boolean = () => false,
) {
  for (let i = 0; i < 900 && !stopped(); i++) {
    await new Promise((r) => setTimeout(r, 200));
    if (!existsSync(runsDir) || readdirSync(runsDir).length === 0) continue;
    const { dir } = onlyRun(runsDir);
    if (!existsSync(join(dir, "events.jsonl"))) continue;
    if (readEvents(dir).some(match)) return;
  }
}

/** `pipeline run configs/run.yaml` in the background, its output kept (`stderr` alone too); `exited` gives its exit code. */
export function startRun(cwd: string, env: NodeJS.ProcessEnv = {}, runId?: string) {
  const named = runId === undefined ? [] : ["--run-id", runId];
  const child = spawn(
    process.execPath,
    [join(root, "bin/pipeline.js"), "run", "configs/run.yaml", "--runs-dir", "runs", ...named],
    { cwd, env: { ...process.env, CI: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => stdout + stderr, stderr: () => stderr };
}

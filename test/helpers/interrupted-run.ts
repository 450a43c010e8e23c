import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { pipeline } from "./cli.js";
import { onlyRun, readEvents, startRun, waitForStep } from "./run-workspace.js";

/**
 * `pipeline run configs/run.yaml` stopped by SIGTERM once `step` is logged (exit 130, a checkpoint saved), then
 * `pipeline run --resume` to the end (exit 0): the run, its record as the stop left it, and the resume's output.
 */
export async function stopAndResume(cwd: string, step: number) {
  const { child, exited, stderr } = startRun(cwd);
  const runsDir = join(cwd, "runs");
  await waitForStep(runsDir, step);
  child.kill("SIGTERM");
  expect(await exited, stderr()).toBe(130);
  const run = onlyRun(runsDir);
  expect(stderr()).toContain(`pipeline run --resume ${run.id}`);
  const [checkpoint] = readdirSync(join(run.dir, "checkpoints")).filter((d) => d.startsWith("step-"));
  expect(checkpoint).toBeDefined();
  const stopped = JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8")) as Record<string, unknown>;
  const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], {
    cwd,
    env: { ...process.env, CI: "1" },
  });
  expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
  return { run, stopped, output: resumed.stdout + resumed.stderr };
}

/** Each step's loss; a step logged again after a resume keeps its last value. */
export function stepLosses(runDir: string): Map<number, number> {
  const steps = readEvents(runDir).filter((e) => e.type === "step");
  return new Map(steps.map((e) => [e.step as number, e.loss as number]));
}

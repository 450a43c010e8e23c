import { appendFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline } from "./helpers/cli.js";
import { onlyRun, readEvents, startRun, trainingWorkspace, waitForStep } from "./helpers/run-workspace.js";

// `runtime.processes: 2` end to end: torchrun under `pipeline run`, gloo on the CPU, stopped and resumed.
describe("pipeline run with two training processes (torchrun, DDP on the CPU)", () => {
  it("records the effective batch, stops with a checkpoint on SIGTERM and finishes with --resume", async () => {
    const cwd = await trainingWorkspace({ max_steps: 60, logging_steps: 1, save_steps: 1000 });
    appendFileSync(join(cwd, "configs/run.yaml"), "runtime:\n  type: local\n  processes: 2\n");
    const { child, exited, stderr } = startRun(cwd);
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 2);
    child.kill("SIGTERM");
    expect(await exited, stderr()).toBe(130);
    const run = onlyRun(runsDir);
    expect(stderr()).toContain(`pipeline run --resume ${run.id}`);
    const [checkpoint] = readdirSync(join(run.dir, "checkpoints")).filter((d) => d.startsWith("step-"));
    expect(checkpoint).toBeDefined();
    const start = readEvents(run.dir)[0]!;
    expect(start).toMatchObject({ type: "start", world_size: 2, global_batch_size: 16 });
    expect(JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8"))).toMatchObject({
      status: "interrupted",
      trainedOn: expect.stringContaining("2 processes (torchrun, DDP)") as string,
    });

    const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout + resumed.stderr).toContain("60 steps of 16 sequences over 2 processes");
    const steps = readEvents(run.dir)
      .filter((e) => e.type === "step")
      .map((e) => e.step as number);
    expect(steps.at(-1)).toBe(60);
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      training: { world_size: number; global_batch_size: number; steps: number; resumes: number };
    };
    expect(report.training).toMatchObject({ world_size: 2, global_batch_size: 16, steps: 60, resumes: 1 });
  });
});

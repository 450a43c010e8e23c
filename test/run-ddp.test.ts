import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stopAndResume } from "./helpers/interrupted-run.js";
import { readEvents, trainingWorkspace } from "./helpers/run-workspace.js";

// `runtime.processes: 2` end to end: torchrun under `pipeline run`, gloo on the CPU, stopped and resumed.
describe("pipeline run with two training processes (torchrun, DDP on the CPU)", () => {
  it("records the effective batch, stops with a checkpoint on SIGTERM and finishes with --resume", async () => {
    const cwd = await trainingWorkspace({ max_steps: 60, logging_steps: 1, save_steps: 1000 });
    appendFileSync(join(cwd, "configs/run.yaml"), "runtime:\n  type: local\n  processes: 2\n");
    const { run, stopped, output } = await stopAndResume(cwd, 2);
    const start = readEvents(run.dir)[0]!;
    expect(start).toMatchObject({ type: "start", world_size: 2, global_batch_size: 16, strategy: "ddp" });
    expect(stopped).toMatchObject({
      status: "interrupted",
      trainedOn: expect.stringContaining("2 processes (torchrun, DDP)") as string,
    });

    expect(output).toContain("60 steps of 16 sequences over 2 processes");
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

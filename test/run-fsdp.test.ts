import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pipeline, root } from "./helpers/cli.js";
import { venvPython } from "./helpers/hub-cache.js";
import { stepLosses, stopAndResume } from "./helpers/interrupted-run.js";
import { readEvents, trainingWorkspace } from "./helpers/run-workspace.js";

// training.strategy: fsdp end to end: torchrun under `pipeline run`, the base sharded over 2 ranks (gloo, CPU).
// Tolerance as in docker/tests/test_distributed.py: the same micro-batches, summed in another order.
const TOLERANCE = 1e-4;
const STEPS = 20;

describe("pipeline run with training.strategy fsdp over two processes", () => {
  it("trains one process's curve at the same global batch, resumes after SIGTERM and evaluates the adapter", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: STEPS, logging_steps: 1, save_steps: 1000, lr_scheduler: "constant", strategy: "fsdp" },
      { train: 256, eval: 8 },
    );
    const config = join(cwd, "configs/run.yaml");
    // no dropout: the ranks draw other masks than one process would, and the curves are compared exactly
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace("  alpha: 16\n", "  alpha: 16\n  dropout: 0\n"),
    );
    appendFileSync(config, "runtime:\n  type: local\n  processes: 2\n");
    const { run, stopped, output } = await stopAndResume(cwd, 2);
    expect(readEvents(run.dir)[0]).toMatchObject({ world_size: 2, global_batch_size: 16, strategy: "fsdp" });
    expect(stopped).toMatchObject({
      trainedOn: expect.stringContaining("2 processes (torchrun, FSDP)") as string,
    });

    const expected = oneProcessCurve(run.dir);
    const losses = stepLosses(run.dir);
    expect([...losses.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    const largest = Math.max(...[...expected].map(([step, loss]) => Math.abs(loss - losses.get(step)!)));
    console.log(`largest loss difference, fsdp over 2 processes vs 1 process: ${largest}`);
    expect(largest).toBeLessThan(TOLERANCE);

    // the adapter rank 0 gathered and saved is what the eval stage (generate.py) loads
    const [, base, adapter] = /^\s+loss ↓\s+(\d+\.\d+)\s+(\d+\.\d+)/m.exec(output) ?? [];
    expect(Number(adapter), output).toBeLessThan(Number(base));
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      outcome: { status: string };
      training: { strategy: string; resumes: number; steps: number };
    };
    expect(report.outcome.status).toBe("passed");
    expect(report.training).toMatchObject({ strategy: "fsdp", resumes: 1, steps: STEPS });
  });

  it("is refused at config validate with one process, naming the setting and what to do", async () => {
    const cwd = await trainingWorkspace({ strategy: "fsdp" });
    const result = pipeline(["config", "validate", "configs/run.yaml"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("training.strategy");
    expect(result.stderr).toMatch(/runtime\.processes is 1: set runtime\.processes to the number of GPUs/);
  });
});

/** The run's own spec trained by the trainer in one process with twice the accumulation: the same global batch. */
function oneProcessCurve(runDir: string): Map<number, number> {
  const spec = JSON.parse(readFileSync(join(runDir, "spec.json"), "utf8")) as {
    training: { gradient_accumulation_steps: number };
    [key: string]: unknown;
  };
  const out = join(runDir, "..", "..", "one-process");
  mkdirSync(out, { recursive: true });
  spec.training.gradient_accumulation_steps *= 2;
  spec.distributed = { world_size: 1, strategy: "ddp" };
  spec.resume_from = null;
  spec.output = { checkpoint_dir: join(out, "checkpoints"), adapter_dir: join(out, "adapter") };
  writeFileSync(join(out, "spec.json"), JSON.stringify(spec));
  const result = spawnSync(venvPython(), [join(root, "docker/train.py"), "--spec", join(out, "spec.json")], {
    encoding: "utf8",
    input: "",
  });
  expect(result.status, result.stderr).toBe(0);
  const steps = result.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; step: number; loss: number })
    .filter((e) => e.type === "step");
  return new Map(steps.map((e) => [e.step, e.loss]));
}

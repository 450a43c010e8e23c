import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { dpoWorkspace } from "./helpers/preference-workspace.js";
import { onlyRun, readEvents, startRun, waitForStep } from "./helpers/run-workspace.js";

type Event = { type: string; [key: string]: unknown };
const steps = (events: Event[]) => events.filter((e) => e.type === "step");
const env = { ...process.env, CI: "1" };

describe("pipeline run with training.method: dpo (tiny model, real trainer)", () => {
  it("starts at ln 2, logs rewards and preference accuracy, and learns the preferred answers", async () => {
    const cwd = await dpoWorkspace({ max_steps: 12, logging_steps: 1, save_steps: 6, eval_steps: 6 });
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const run = onlyRun(join(cwd, "runs"));
    const events = readEvents(run.dir);
    const logged = steps(events);
    expect(events[0]).toMatchObject({ type: "start", method: "dpo", train_examples: 64 });
    expect(logged[0]!.loss).toBeCloseTo(Math.log(2), 4);
    expect(logged[0]!.reward_margin).toBeCloseTo(0, 4);
    for (const key of ["rewards_chosen", "rewards_rejected", "reward_margin", "preference_accuracy"])
      expect(logged.at(-1), key).toHaveProperty(key);
    expect(logged.at(-1)!.preference_accuracy as number).toBeGreaterThan(0.5);
    expect(logged.at(-1)!.loss as number).toBeLessThan(Math.log(2));
    const evals = events.filter((e) => e.type === "eval");
    expect(evals.map((e) => e.step)).toEqual([0, 6, 12]);

    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      training: { method: string; preference: { train: { accuracy: number } } };
    };
    expect(report.training.method).toBe("dpo");
    expect(report.training.preference.train.accuracy).toBeGreaterThan(0.5);
    expect(readFileSync(join(run.dir, "report.md"), "utf8")).toMatch(
      /Preference accuracy: train → held out \| \d+\.\d% → \d+\.\d%/,
    );
  });

  it("stopped with SIGTERM, resumes from its checkpoint and continues the curve, not from ln 2", async () => {
    const cwd = await dpoWorkspace({ max_steps: 12, logging_steps: 1, save_steps: 100 });
    const { child, exited, output } = startRun(cwd);
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 4);
    child.kill("SIGTERM");
    expect(await exited, output()).toBe(130);
    const run = onlyRun(runsDir);

    const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], { cwd, env });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const events = readEvents(run.dir);
    const [, second, third] = events.filter((e) => e.type === "start");
    expect(third).toBeUndefined();
    expect(second!.start_step as number).toBeGreaterThanOrEqual(4);
    // The first step after the resume is the next one, and the policy starts where it was (not at ln 2).
    const [next] = steps(events.slice(events.indexOf(second!)));
    expect(next).toMatchObject({ step: (second!.start_step as number) + 1 });
    expect(Math.abs((next!.loss as number) - Math.log(2))).toBeGreaterThan(1e-3);
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 12 } });
  });

  it("refuses a method the data does not fit before any work: exit 2, the dataset and the method named", async () => {
    const cwd = await dpoWorkspace({ max_steps: 2 });
    const sftData = [
      "--set",
      "datasets.0.path=data/sft.jsonl",
      "--set",
      "datasets.0.eval_path=data/sft.jsonl",
    ];
    const validated = pipeline(["config", "validate", "configs/run.yaml", ...sftData], { cwd, env });
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(/training\.method dpo cannot train on datasets\[0\] .*sft\.jsonl/);
    const dpoOnChats = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", ...sftData], { cwd, env });
    expect(dpoOnChats.code).toBe(2);
    expect(dpoOnChats.stderr).toMatch(/training\.method dpo cannot train on datasets\[0\] .*sft\.jsonl/);
    expect(dpoOnChats.stderr).toMatch(/holds SFT rows .* but training\.method is dpo/);
    expect(hasStackTrace(dpoOnChats.stderr)).toBe(false);

    // The same config trained as SFT (its dpo block gone: settings of an untrained method are refused).
    const sft = readFileSync(join(cwd, "configs/run.yaml"), "utf8")
      .replace("method: dpo", "method: sft")
      .replace(/^ {2}dpo: .*\n/m, "");
    await writeFile(join(cwd, "configs/sft.yaml"), sft);
    const sftOnPairs = pipeline(["run", "configs/sft.yaml", "--runs-dir", "runs"], { cwd, env });
    expect(sftOnPairs.code).toBe(2);
    expect(sftOnPairs.stderr).toMatch(/holds preference pairs .* but training\.method is sft/);
    expect(sftOnPairs.stderr).toMatch(/set training\.method: dpo/);
    expect(hasStackTrace(sftOnPairs.stderr)).toBe(false);
    expect(
      existsSync(join(cwd, "runs")) && pipeline(["runs", "list", "--runs-dir", "runs"], { cwd }).stdout,
    ).not.toMatch(/done|running/);
  });

  it("trains with two processes (torchrun, DDP on the CPU): the reference pass bypasses the DDP wrapper", async () => {
    const cwd = await dpoWorkspace({ max_steps: 4, logging_steps: 1, save_steps: 100, eval_steps: 100 });
    await writeFile(
      join(cwd, "configs/run.yaml"),
      readFileSync(join(cwd, "configs/run.yaml"), "utf8") + "runtime:\n  type: local\n  processes: 2\n",
    );
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd, env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const events = readEvents(onlyRun(join(cwd, "runs")).dir);
    expect(events[0]).toMatchObject({ type: "start", method: "dpo", world_size: 2 });
    const logged = steps(events);
    expect(logged[0]!.loss).toBeCloseTo(Math.log(2), 4);
    expect(logged.at(-1)).toHaveProperty("preference_accuracy");
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 4 } });
  });
});

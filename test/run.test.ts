import { existsSync, readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { onlyRun, readEvents, startRun, trainingWorkspace, waitForStep } from "./helpers/run-workspace.js";
import { workspace } from "./helpers/workspace.js";

// End-to-end: `pipeline run` with the local runtime, the real Python trainer and the built-in tiny model.
describe("pipeline run (local runtime, real trainer)", () => {
  it("trains, saves a PEFT adapter, evaluates base vs adapter and records everything in the run directory", async () => {
    const cwd = await trainingWorkspace({ max_steps: 8, logging_steps: 2, save_steps: 4, eval_steps: 4 });
    // No template: the tiny model's own chat template is used, and the run says so.
    const config = join(cwd, "configs/run.yaml");
    await writeFile(config, readFileSync(config, "utf8").replace("    template: chatml\n", ""));
    // A gate that cannot fail (loss is never negative), so the run passes with its gates checked.
    const gate = "eval.gates.heldout/loss=>= 0";
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--set", gate], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(0);

    const run = onlyRun(join(cwd, "runs"));
    expect(result.stderr).toMatch(
      /note: datasets\[0\] sets no template: using the base model's own chat template \(.*chat_template\.jinja\)/,
    );
    expect(readFileSync(join(run.dir, "config.resolved.yaml"), "utf8")).toMatch(/^ {4}template: model$/m);
    for (const file of [
      "run.json",
      "config.resolved.yaml",
      "spec.json",
      "events.jsonl",
      "data/train.jsonl",
    ]) {
      expect(existsSync(join(run.dir, file)), file).toBe(true);
    }
    expect(readdirSync(join(run.dir, "adapter")).sort()).toEqual(
      expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors", "manifest.json"]),
    );
    expect(readdirSync(join(run.dir, "checkpoints")).sort()).toEqual(["step-000004", "step-000008"]);
    const types = readEvents(run.dir).map((e) => e.type);
    expect(types[0]).toBe("start");
    expect(types).toContain("checkpoint");
    expect(types.at(-1)).toBe("done");
    const record = JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8")) as {
      status: string;
      step: number;
    };
    expect(record).toMatchObject({ status: "done", step: 8 });
    expect(result.stdout).toMatch(/eval loss\s+base \d+\.\d+ → adapter \d+\.\d+/);
    expect(result.stdout).toMatch(/exact match\s+base \d+\.\d% → adapter \d+\.\d% \(n=16/);
    expect(existsSync(join(run.dir, "eval/heldout/generations.jsonl"))).toBe(true);
    // No suites configured: the default held-out suite, with its paired statistics and the gate.
    expect(result.stdout).toMatch(/suite heldout: 16 cases/);
    expect(result.stdout).toMatch(/^\s+loss ↓\s+\d+\.\d{4}\s+\d+\.\d{4}/m);
    expect(result.stdout).toMatch(/pass {2}heldout\/loss >= 0: adapter/);
    // The report after the run: the contract file, validated, and its two renderings.
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      outcome: { status: string };
      suites: { name: string; metrics: { metric: string }[] }[];
      gates: { passed: boolean }[];
    };
    expect(report.outcome.status).toBe("passed");
    expect(report.suites[0]!.metrics.map((m) => m.metric)).toContain("exact_match");
    expect(report.gates).toEqual([expect.objectContaining({ passed: true })]);
    expect(existsSync(join(run.dir, "report.html")) && existsSync(join(run.dir, "report.md"))).toBe(true);
    expect(result.stdout).toContain(`report       ${join(run.dir, "report.html")}`);

    const listed = pipeline(["runs", "list", "--runs-dir", "runs"], { cwd });
    expect(listed.stdout).toContain(run.id);
    // The local store's adapter is verified with its checkpoints; a flipped byte in it is caught.
    const verify = () => pipeline(["checkpoints", "verify", run.id, "--runs-dir", "runs"], { cwd });
    expect(verify().stdout).toMatch(/verified 2 checkpoint\(s\) and the adapter/);
    const weights = join(run.dir, "adapter/adapter_model.safetensors");
    const bytes = readFileSync(weights);
    bytes[bytes.length >> 1]! ^= 0x01;
    await writeFile(weights, bytes);
    const corrupt = verify();
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toMatch(
      /^adapter\s+MISMATCH: adapter_model\.safetensors does not match its sha256$/m,
    );
    const shown = pipeline(["runs", "show", run.id, "--runs-dir", "runs", "--json"], { cwd });
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: run.id, status: "done" });
  });

  it("refuses an invalid eval suite before formatting or training anything", async () => {
    const cwd = await trainingWorkspace({ max_steps: 8 });
    await writeFile(
      join(cwd, "configs/suite.yaml"),
      "name: s\ncases: heldout\nscorers:\n  - rouge_l: { beta: 0 }\n",
    );
    const result = pipeline(
      ["run", "configs/run.yaml", "--runs-dir", "runs", "--set", "eval.suites=[configs/suite.yaml]"],
      {
        cwd,
        env: { ...process.env, CI: "1" },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /configs\/suite\.yaml:4 › scorers\[0\]\.rouge_l\.beta: expected > 0, got 0/,
    );
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });

  it("exits 1 when a gate fails, and still writes the report that says so", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: 2, logging_steps: 1, save_steps: 2 },
      { train: 32, eval: 4 },
    );
    const gate = "eval.gates.exact_match=>= base + 2";
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs", "--set", gate], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(result.code, result.stderr + result.stdout).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}exact_match \(heldout\) >= base \+ 2/);
    const run = onlyRun(join(cwd, "runs"));
    const report = JSON.parse(readFileSync(join(run.dir, "report.json"), "utf8")) as {
      outcome: { status: string };
    };
    expect(report.outcome.status).toBe("gates-failed");
  });

  it("resumes from the last complete checkpoint after the trainer is killed with SIGKILL", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: 20, logging_steps: 1, save_steps: 5 },
      { train: 256, eval: 8 },
    );
    const { exited, stderr } = startRun(cwd);

    // Wait for the first checkpoint event, then kill the trainer process (not the orchestrator).
    const runsDir = join(cwd, "runs");
    let killedAt = 0;
    for (let i = 0; i < 600 && !killedAt; i++) {
      await new Promise((r) => setTimeout(r, 200));
      if (!existsSync(runsDir) || readdirSync(runsDir).length === 0) continue;
      const { dir } = onlyRun(runsDir);
      if (!existsSync(join(dir, "events.jsonl"))) continue;
      const checkpoint = readEvents(dir).find((e) => e.type === "checkpoint");
      if (!checkpoint) continue;
      const pids = trainerPids(join(dir, "spec.json"));
      expect(pids.length).toBe(1);
      process.kill(pids[0]!, "SIGKILL");
      killedAt = checkpoint.step as number;
    }
    expect(killedAt).toBe(5);
    expect(await exited).toBe(1);
    const run = onlyRun(runsDir);
    expect(stderr()).toContain(`pipeline run --resume ${run.id}`);
    expect(hasStackTrace(stderr())).toBe(false);
    const before = readEvents(run.dir).filter((e) => e.type === "step").length;

    const resumed = pipeline(["run", "--resume", run.id, "--runs-dir", "runs"], {
      cwd,
      env: { ...process.env, CI: "1" },
    });
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    const events = readEvents(run.dir);
    const starts = events.filter((e) => e.type === "start");
    expect(starts).toHaveLength(2);
    const restartStep = starts[1]!.start_step as number;
    expect(restartStep).toBeGreaterThanOrEqual(5);
    const stepsAfter = events.slice(events.indexOf(starts[1]!)).filter((e) => e.type === "step");
    expect(stepsAfter[0]!.step).toBe(restartStep + 1);
    expect(before).toBeGreaterThanOrEqual(5);
    expect(events.at(-1)).toMatchObject({ type: "done", metrics: { steps: 20 } });
    expect(JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8"))).toMatchObject({
      status: "done",
      step: 20,
    });
  });

  it("on SIGTERM stops the trainer cleanly: a checkpoint, exit 130, and a hint to resume", async () => {
    const cwd = await trainingWorkspace(
      { max_steps: 200, logging_steps: 1, save_steps: 100 },
      { train: 512, eval: 8 },
    );
    const { child, exited, stderr } = startRun(cwd);
    const runsDir = join(cwd, "runs");
    await waitForStep(runsDir, 3);
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    const run = onlyRun(runsDir);
    expect(stderr()).toContain(`pipeline run --resume ${run.id}`);
    expect(readdirSync(join(run.dir, "checkpoints")).filter((d) => d.startsWith("step-"))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(run.dir, "run.json"), "utf8"))).toMatchObject({
      status: "interrupted",
    });
  });

  it("refuses a config whose dataset is missing: exit 2, file and key path, no run directory", async () => {
    const cwd = await workspace({
      "configs/run.yaml":
        "base_model: builtin:tiny\ndatasets:\n  - path: ../data/nope.jsonl\n    template: chatml\n",
    });
    const result = pipeline(["run", "configs/run.yaml", "--runs-dir", "runs"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/run\.yaml:3 › datasets\[0\]\.path/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(join(cwd, "runs"))).toBe(false);
  });
});

function trainerPids(specPath: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline.some((arg) => arg.endsWith("train.py")) && cmdline.includes(specPath))
        pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasStackTrace, pipeline } from "./helpers/cli.js";
import { dpoWorkspace } from "./helpers/preference-workspace.js";
import { readEvents } from "./helpers/run-workspace.js";

type Event = { type: string; [key: string]: unknown };
const steps = (events: Event[]) => events.filter((e) => e.type === "step");
const env = { ...process.env, CI: "1" };
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** The workspace's DPO config turned into SFT on its quickstart chats (data/sft.jsonl), rank 4. */
function sftConfig(dpo: string): string {
  return dpo
    .replace("method: dpo", "method: sft")
    .replace(/^ {2}dpo: .*\n/m, "")
    .replace(/\.\.\/data\/(train|eval)\.jsonl/g, "../data/sft.jsonl")
    .replace("r: 8", "r: 4");
}

/** `pipeline run <config>` in cwd; returns the new run's directory (the runs dir may hold earlier runs). */
function run(cwd: string, config: string, set: string[] = []) {
  const before = new Set(existsSync(join(cwd, "runs")) ? readdirSync(join(cwd, "runs")) : []);
  const result = pipeline(["run", config, "--runs-dir", "runs", ...set], { cwd, env });
  expect(result.code, result.stderr + result.stdout).toBe(0);
  const id = readdirSync(join(cwd, "runs")).find((name) => !before.has(name))!;
  return { id, dir: join(cwd, "runs", id), stderr: result.stderr };
}

describe("DPO on top of an SFT run (training.init_adapter, tiny model, real trainer)", () => {
  it("starts from the SFT adapter as policy and frozen reference: ln 2 at step 0, then it learns", async () => {
    const cwd = await dpoWorkspace({ max_steps: 6, logging_steps: 1, save_steps: 100, eval_steps: 100 });
    const dpo = readFileSync(join(cwd, "configs/run.yaml"), "utf8");
    await writeFile(join(cwd, "configs/sft.yaml"), sftConfig(dpo).replace("max_steps: 6", "max_steps: 4"));
    const sft = run(cwd, "configs/sft.yaml");

    await writeFile(
      join(cwd, "configs/run.yaml"),
      dpo.replace("training:\n", `training:\n  init_adapter: ${sft.id}\n`),
    );
    const validated = pipeline(["config", "validate", "configs/run.yaml"], { cwd, env });
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toMatch(new RegExp(`init +${sft.id} \\(.*adapter\\): r 4, alpha 16`));
    expect(validated.stdout).toMatch(/note +lora\.r 8 → 4 \(the adapter's\)/);

    const onTop = run(cwd, "configs/run.yaml");
    expect(onTop.stderr).toMatch(
      /note: training\.init_adapter: lora\.dropout 0\.05 → 0 \(dpo starts as its reference\)/,
    );
    const events = readEvents(onTop.dir);
    const logged = steps(events);
    expect(logged[0]!.loss).toBeCloseTo(Math.log(2), 4);
    expect(logged.at(-1)!.loss as number).toBeLessThan(Math.log(2));
    expect(logged.at(-1)!.preference_accuracy as number).toBeGreaterThan(0.5);
    expect(events.filter((e) => e.type === "eval").map((e) => e.step)).toEqual([0, 6]);

    // The run carries its own copy, hashed in run.json; the report and the spec name it.
    const copied = join(onTop.dir, "init-adapter", "adapter_model.safetensors");
    expect(sha256(copied)).toBe(sha256(join(sft.dir, "adapter", "adapter_model.safetensors")));
    const record = JSON.parse(readFileSync(join(onTop.dir, "run.json"), "utf8")) as Record<string, unknown>;
    expect(record.initAdapter).toEqual({
      source: sft.id,
      sha256: { "adapter_config.json": expect.any(String), "adapter_model.safetensors": sha256(copied) },
    });
    const spec = JSON.parse(readFileSync(join(onTop.dir, "spec.json"), "utf8")) as {
      init_adapter: string;
      lora: object;
    };
    expect(spec.init_adapter).toBe(join(onTop.dir, "init-adapter"));
    expect(spec.lora).toMatchObject({ r: 4, dropout: 0 });
    const report = JSON.parse(readFileSync(join(onTop.dir, "report.json"), "utf8")) as {
      training: { init_adapter: unknown };
    };
    expect(report.training.init_adapter).toEqual(record.initAdapter);
    expect(readFileSync(join(onTop.dir, "report.md"), "utf8")).toContain(
      `Trained on top of | ${sft.id} (adapter_model.safetensors sha256 ${sha256(copied).slice(0, 12)})`,
    );

    // The same adapter named by its directory.
    const byDir = run(cwd, "configs/run.yaml", [
      "--set",
      `training.init_adapter=${join(sft.dir, "adapter")}`,
      "--set",
      "training.max_steps=2",
    ]);
    expect(steps(readEvents(byDir.dir))[0]!.loss).toBeCloseTo(Math.log(2), 4);
    expect(readEvents(byDir.dir).at(-1)).toMatchObject({ type: "done", metrics: { steps: 2 } });
  });

  it("refuses a missing run, a folder that is not an adapter and another base model: exit 2, the setting named", async () => {
    const cwd = await dpoWorkspace({ max_steps: 2 });
    const validate = (value: string, extra: string[] = []) =>
      pipeline(
        ["config", "validate", "configs/run.yaml", "--set", `training.init_adapter=${value}`, ...extra],
        { cwd, env },
      );
    const missing = validate("no-such-run");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/training\.init_adapter: no run "no-such-run" in .*runs/);
    const notAdapter = validate(join(cwd, "data"));
    expect(notAdapter.code).toBe(2);
    expect(notAdapter.stderr).toMatch(
      /training\.init_adapter: .*data is not a LoRA adapter: it has no adapter_config\.json/,
    );
    const otherBase = join(cwd, "other-base");
    mkdirSync(otherBase);
    const saved = {
      peft_type: "LORA",
      r: 4,
      lora_alpha: 8,
      target_modules: ["q_proj"],
      base_model_name_or_path: "org/other",
    };
    writeFileSync(join(otherBase, "adapter_config.json"), JSON.stringify(saved));
    writeFileSync(join(otherBase, "adapter_model.safetensors"), "");
    const mismatch = validate(otherBase);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(
      /training\.init_adapter: .*other-base was trained on org\/other, but base_model is builtin:tiny/,
    );
    expect(hasStackTrace(missing.stderr + notAdapter.stderr + mismatch.stderr)).toBe(false);
    const started = pipeline(
      ["run", "configs/run.yaml", "--runs-dir", "runs", "--set", "training.init_adapter=no-such-run"],
      { cwd, env },
    );
    expect(started.code).toBe(2);
    expect(started.stderr).toMatch(/training\.init_adapter: no run "no-such-run"/);
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALIAS_BOMB, MINIMAL, workspace } from "../../test/helpers/workspace.js";
import { ConfigError } from "../errors/index.js";
import { type LoadOptions, loadConfig } from "./load.js";
import { keepingUnset } from "./interpolate.js";
import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import { withEnvReferences } from "../secrets/index.js";

async function problemsOf(
  files: Record<string, string>,
  options: LoadOptions = {},
  file = "configs/run.yaml",
) {
  const cwd = await workspace({ ...MINIMAL, ...files });
  const error = await loadConfig(file, { env: {}, ...options, cwd }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.exitCode).toBe(2);
  return configError.problems.map((p) => `${p.location}: ${p.message}`);
}

const withTraining = (lines: string) => `${MINIMAL["configs/run.yaml"]}training:\n${lines}\n`;

describe("loadConfig", () => {
  it("fills every default and resolves dataset paths against the config file", async () => {
    const cwd = await workspace(MINIMAL);
    const { config, file, hash } = await loadConfig("configs/run.yaml", { cwd, env: {} });
    expect(file).toBe(join(cwd, "configs/run.yaml"));
    expect(config.datasets[0]).toEqual({
      path: join(cwd, "data/train.jsonl"),
      format: "auto",
      template: "chatml",
      eval_split: 0.1,
      seed: 42,
      reasoning: "keep",
    });
    expect(config.training.method).toBe("sft");
    expect(config.lora.target_modules).toEqual(["q_proj", "k_proj", "v_proj", "o_proj"]);
    expect(config.runtime).toEqual({ type: "local", processes: 1 });
    expect(config.training.eval_steps).toBeNull();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reports an unknown key with its line, path and the key it probably meant", async () => {
    const problems = await problemsOf({
      "configs/run.yaml": withTraining("  learning_rate: 1e-4\n  lerning_rate: 1"),
    });
    expect(problems).toEqual([
      'configs/run.yaml:7 › training.lerning_rate: unknown key "lerning_rate"; did you mean "learning_rate"?',
    ]);
  });

  it("suggests this schema's name for another trainer's key", async () => {
    const config = MINIMAL["configs/run.yaml"] + "lora:\n  lora_alpha: 16\n";
    expect(await problemsOf({ "configs/run.yaml": config })).toEqual([
      'configs/run.yaml:6 › lora.lora_alpha: unknown key "lora_alpha"; did you mean "alpha"?',
    ]);
  });

  it("reports a gate expression that does not parse at its key", async () => {
    const config = `${MINIMAL["configs/run.yaml"]}eval:\n  gates:\n    exact_match: ">= base + 0.05"\n    loss: "lower than base"\n`;
    const problems = await problemsOf({ "configs/run.yaml": config });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^configs\/run\.yaml:8 › eval\.gates\.loss: invalid gate "lower than base"; expected/,
    );
  });

  it("reports a wrong type with the value found", async () => {
    const problems = await problemsOf({ "configs/run.yaml": withTraining("  learning_rate: fast") });
    expect(problems).toEqual([
      'configs/run.yaml:6 › training.learning_rate: expected number, got string "fast"',
    ]);
  });

  it("reports an out-of-range value with the bound", async () => {
    const problems = await problemsOf({
      "configs/run.yaml": MINIMAL["configs/run.yaml"] + "lora:\n  r: 0\n",
    });
    expect(problems).toEqual(["configs/run.yaml:6 › lora.r: expected ≥ 1, got 0"]);
  });

  it("reports a missing required key at the file", async () => {
    const problems = await problemsOf({ "configs/run.yaml": "base_model: org/model\n" });
    expect(problems).toEqual(["configs/run.yaml › datasets: required key is missing (expected array)"]);
  });

  it("reports a missing dataset file with the resolved path", async () => {
    const config = MINIMAL["configs/run.yaml"].replace("train.jsonl", "nope.jsonl");
    expect(await problemsOf({ "configs/run.yaml": config })).toEqual([
      "configs/run.yaml:3 › datasets[0].path: file not found: data/nope.jsonl",
    ]);
  });

  it("skips file checks with checkFiles: false", async () => {
    const cwd = await workspace({ "configs/run.yaml": MINIMAL["configs/run.yaml"] });
    await expect(loadConfig("configs/run.yaml", { cwd, checkFiles: false })).resolves.toBeTruthy();
  });

  it("reports a missing local model directory, but not a hub id", async () => {
    const local = MINIMAL["configs/run.yaml"].replace("builtin:tiny", "./models/none");
    expect(await problemsOf({ "configs/run.yaml": local })).toEqual([
      "configs/run.yaml:1 › base_model: local model directory not found: configs/models/none (a hub id is written org/name, without ./)",
    ]);
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": local.replace("./models/none", "org/model"),
    });
    await expect(loadConfig("configs/run.yaml", { cwd })).resolves.toBeTruthy();
  });

  it("reports invalid YAML with its line", async () => {
    const problems = await problemsOf({ "configs/run.yaml": "base_model: a\nbase_model: b\n" });
    expect(problems).toEqual(["configs/run.yaml:2: invalid YAML: Map keys must be unique"]);
  });

  it("reports a missing config file", async () => {
    const problems = await problemsOf({}, {}, "configs/absent.yaml");
    expect(problems[0]).toMatch(/^configs\/absent\.yaml: file not found/);
  });

  it("collects every problem instead of stopping at the first", async () => {
    const config = withTraining("  learning_rate: fast\n  warmup_steps: -1").replace("chatml", "chatm");
    const problems = await problemsOf({ "configs/run.yaml": config });
    expect(problems).toEqual([
      'configs/run.yaml:4 › datasets[0].template: expected "auto" | "alpaca" | "chatml" | "llama3" | "model", got string "chatm"',
      'configs/run.yaml:6 › training.learning_rate: expected number, got string "fast"',
      "configs/run.yaml:7 › training.warmup_steps: expected ≥ 0, got -1",
    ]);
  });

  it("applies cross-field rules", async () => {
    const both = withTraining("  warmup_steps: 10\n  warmup_ratio: 0.1");
    expect(await problemsOf({ "configs/run.yaml": both })).toEqual([
      "configs/run.yaml:7 › training.warmup_ratio: set warmup_steps or warmup_ratio, not both (warmup_steps is 10)",
    ]);
    const fp16 = withTraining("  precision: fp16") + "device: cpu\n";
    expect(await problemsOf({ "configs/run.yaml": fp16 })).toEqual([
      "configs/run.yaml:6 › training.precision: fp16 training needs a GPU; on device cpu use fp32 or bf16",
    ]);
    const liger = withTraining("  liger_kernels: true") + "device: cpu\n";
    expect(await problemsOf({ "configs/run.yaml": liger })).toEqual([
      "configs/run.yaml:6 › training.liger_kernels: Liger's kernels are Triton GPU kernels; on device cpu set liger_kernels: false",
    ]);
    const varlen = withTraining("  attention: varlen\n  precision: fp32") + "device: cuda\n";
    expect(await problemsOf({ "configs/run.yaml": varlen })).toEqual([
      "configs/run.yaml:6 › training.attention: varlen runs flash attention, which needs bf16 or fp16 on a GPU; set precision: bf16 (or auto)",
    ]);
    // On a CPU, varlen runs example by example, in any precision.
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": withTraining("  attention: varlen\n  precision: fp32") + "device: cpu\n",
    });
    const { config } = await loadConfig("configs/run.yaml", { cwd, env: {} });
    expect(config.training.attention).toBe("varlen");
  });

  it("rejects an unknown builtin model and an unknown runtime type", async () => {
    const config =
      MINIMAL["configs/run.yaml"].replace("builtin:tiny", "builtin:huge") + "runtime:\n  type: k8s\n";
    expect(await problemsOf({ "configs/run.yaml": config })).toEqual([
      "configs/run.yaml:1 › base_model: unknown builtin model; the only one is builtin:tiny",
      'configs/run.yaml:6 › runtime.type: expected "local" | "docker" | "ray", got string "k8s"',
    ]);
  });

  it("refuses a YAML alias bomb as invalid YAML, naming the file", async () => {
    const bomb = MINIMAL["configs/run.yaml"] + ALIAS_BOMB;
    expect(await problemsOf({ "configs/run.yaml": bomb })).toEqual([
      expect.stringMatching(/^configs\/run\.yaml: invalid YAML: .*too many aliases/),
    ]);
  });

  it("defaults a dataset's missing template to auto (the run picks the model's own, else chatml)", async () => {
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": MINIMAL["configs/run.yaml"].replace("    template: chatml\n", ""),
    });
    const { config } = await loadConfig("configs/run.yaml", { cwd, env: {} });
    expect(config.datasets[0]!.template).toBe("auto");
  });

  it("a config written back with its environment secrets as ${NAME} keeps none and loads again the same", async () => {
    const env = { MLFLOW_TRACKING_PASSWORD: "s3cr3t-pw", HOME: "/home/x" };
    const cwd = await workspace({
      ...MINIMAL,
      "configs/run.yaml": `${MINIMAL["configs/run.yaml"]}tracking:\n  mlflow:\n    experiment: team-\${MLFLOW_TRACKING_PASSWORD}\n`,
    });
    const first = await loadConfig("configs/run.yaml", { cwd, env });
    expect(first.config.tracking?.mlflow).toEqual({ experiment: "team-s3cr3t-pw" });
    const written = withEnvReferences(stringify(first.config), env);
    expect(written).not.toContain("s3cr3t-pw");
    expect(written).toContain("team-${MLFLOW_TRACKING_PASSWORD}");
    await writeFile(join(cwd, "resolved.yaml"), written);
    const again = await loadConfig("resolved.yaml", { cwd, env, checkFiles: false });
    expect(again.config).toEqual(first.config);
    expect(again.hash).toBe(first.hash);
    // Without the secret: a resume is refused naming it; sync and checkpoints read the reference as written.
    await expect(loadConfig("resolved.yaml", { cwd, env: {}, checkFiles: false })).rejects.toThrow(
      ConfigError,
    );
    const inspected = await loadConfig("resolved.yaml", { cwd, env: keepingUnset({}), checkFiles: false });
    expect(inspected.config.tracking?.mlflow).toEqual({ experiment: "team-${MLFLOW_TRACKING_PASSWORD}" });
  });
});

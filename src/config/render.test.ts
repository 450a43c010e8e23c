import { describe, expect, it } from "vitest";
import { configHash } from "./hash.js";
import { previewTrainSpec, renderTrainSpec } from "./render.js";
import { RunConfig } from "./schema.js";
import { TrainSpec } from "./train-spec.js";

// Every field differs from its default, so a field the renderer forgets or swaps shows up.
const config = RunConfig.parse({
  base_model: "org/model",
  device: "cuda",
  datasets: [{ path: "/data/train.jsonl", template: "chatml" }],
  lora: {
    r: 7,
    alpha: 13,
    dropout: 0.11,
    target_modules: ["up_proj"],
    bias: "lora_only",
    modules_to_save: ["lm_head"],
  },
  training: {
    epochs: 2.5,
    max_steps: 99,
    micro_batch_size: 3,
    gradient_accumulation_steps: 5,
    learning_rate: 3e-5,
    lr_scheduler: "constant_with_warmup",
    warmup_steps: 0,
    warmup_ratio: 0.07,
    weight_decay: 0.01,
    max_grad_norm: 0.3,
    max_seq_len: 333,
    packing: true,
    precision: "fp16",
    gradient_checkpointing: true,
    logging_steps: 2,
    save_steps: 17,
    eval_steps: 19,
    seed: 1234,
  },
  runtime: { type: "local", processes: 3 },
});
const run = { runId: "r1", runDir: "/runs/r1", trainPath: "/runs/r1/data/train.jsonl", evalPath: null };

describe("renderTrainSpec", () => {
  it("maps every config field into a valid TrainSpec", () => {
    const spec = renderTrainSpec(config, { ...run, resumeFrom: "/runs/r1/checkpoints/step-000017" });
    const { epochs, strategy, method, ...training } = config.training;
    expect(TrainSpec.parse(spec)).toEqual(spec);
    expect(spec).toEqual({
      version: 1,
      run_id: "r1",
      task: method,
      dpo: null,
      kto: null,
      base_model: "org/model",
      device: "cuda",
      data: { train: "/runs/r1/data/train.jsonl", eval: null },
      output: { checkpoint_dir: "/runs/r1/checkpoints", adapter_dir: "/runs/r1/adapter" },
      resume_from: "/runs/r1/checkpoints/step-000017",
      init_adapter: null,
      lora: config.lora,
      training: { ...training, num_epochs: epochs },
      distributed: { world_size: 3, strategy },
      store: null,
    });
  });

  it("points an init adapter at the run's copy and trains with the LoRA settings it brings", () => {
    const lora = { ...config.lora, r: 4, alpha: 8, target_modules: ["q_proj"] };
    const spec = renderTrainSpec(config, { ...run, initAdapter: { dir: "/runs/r1/init-adapter", lora } });
    expect(spec).toMatchObject({ init_adapter: "/runs/r1/init-adapter", lora });
  });

  it("counts a ray run's processes: one per GPU of each worker, one per CPU-only worker", () => {
    const ray = (gpus: number) =>
      RunConfig.parse({
        ...config,
        runtime: { type: "ray", address: "http://127.0.0.1:8265", num_workers: 2, gpus_per_worker: gpus },
      });
    expect(renderTrainSpec(ray(4), run).distributed.world_size).toBe(8);
    expect(renderTrainSpec(ray(0), run).distributed.world_size).toBe(2);
  });

  it("carries strategy fsdp into the spec", () => {
    const training = { ...config.training, precision: "bf16" as const, strategy: "fsdp" as const };
    const fsdp = RunConfig.parse({ ...config, training });
    expect(renderTrainSpec(fsdp, run).distributed).toEqual({ world_size: 3, strategy: "fsdp" });
  });

  it("carries training.method and its settings, defaults filled, into the spec", () => {
    const dpo = RunConfig.parse({
      ...config,
      training: { ...config.training, packing: false, method: "dpo" },
    });
    expect(renderTrainSpec(dpo, run)).toMatchObject({
      task: "dpo",
      dpo: { beta: 0.1, loss: "sigmoid" },
      kto: null,
    });
    const kto = RunConfig.parse({
      ...config,
      training: { ...config.training, packing: false, method: "kto", kto: { beta: 0.3 } },
    });
    expect(renderTrainSpec(kto, run)).toMatchObject({
      task: "kto",
      dpo: null,
      kto: { beta: 0.3, desirable_weight: 1, undesirable_weight: 1 },
    });
    const stray = RunConfig.safeParse({ ...config, training: { ...config.training, dpo: { beta: 0.2 } } });
    expect(stray.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      [
        "training.dpo",
        "training.dpo is set but training.method is sft: set method: dpo, or remove the dpo block",
      ],
    ]);
    const packed = RunConfig.safeParse({ ...config, training: { ...config.training, method: "dpo" } });
    expect(packed.error?.issues.map((i) => i.message)).toEqual([
      "packing joins SFT examples; dpo trains each row on its own: set packing: false",
    ]);
  });

  it("renders an absent max_steps as null and uses the given model path", () => {
    const noSteps = RunConfig.parse({
      ...config,
      base_model: "builtin:tiny",
      training: { ...config.training, max_steps: undefined },
    });
    const spec = renderTrainSpec(noSteps, { ...run, baseModelPath: "/cache/tiny" });
    expect(spec.training.max_steps).toBeNull();
    expect(spec.base_model).toBe("/cache/tiny");
    expect(() => renderTrainSpec(noSteps, run)).toThrow(/needs baseModelPath/);
  });

  it("renders a docker runtime's spec like a local one", () => {
    const docker = RunConfig.parse({ ...config, runtime: { type: "docker" } });
    expect(docker.runtime).toMatchObject({ image: "pipeline-trainer:latest", gpus: "all", network: "none" });
    expect(renderTrainSpec(docker, run).run_id).toBe(run.runId);
  });

  it("previews with placeholder run paths", () => {
    const spec = previewTrainSpec(config);
    expect(spec.output.adapter_dir).toBe("runs/<run-id>/adapter");
    expect(spec.data.eval).toBe("runs/<run-id>/data/eval.jsonl");
  });
});

describe("configHash", () => {
  it("is stable across key order and changes with any value", () => {
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as RunConfig;
    expect(Object.keys(reordered)).not.toEqual(Object.keys(config));
    expect(configHash(reordered)).toBe(configHash(config));
    const changed = RunConfig.parse({ ...config, lora: { ...config.lora, r: 8 } });
    expect(configHash(changed)).not.toBe(configHash(config));
  });
});

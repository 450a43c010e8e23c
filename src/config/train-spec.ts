import { z } from "zod";

/**
 * TrainSpec: the resolved, fully explicit training job — the Python trainer's only input.
 * Defined once here; `schema/train-spec.schema.json` is generated from it (`npm run schema`) and the
 * trainer validates spec.json against that file. No defaults are applied in Python: every field is set.
 */
const LoraSpec = z.strictObject({
  r: z.int().min(1).describe("LoRA rank"),
  alpha: z.number().positive().describe("LoRA scaling numerator (scale = alpha / r)"),
  dropout: z.number().min(0).max(1),
  target_modules: z
    .union([z.literal("all-linear"), z.array(z.string().min(1)).min(1)])
    .describe('module names to adapt, or "all-linear"'),
  bias: z.enum(["none", "all", "lora_only"]),
  modules_to_save: z.array(z.string().min(1)).describe("modules trained fully and saved with the adapter"),
});

const TrainingSpec = z.strictObject({
  num_epochs: z.number().positive().describe("used when max_steps is null"),
  max_steps: z.int().min(1).nullable().describe("optimizer steps; overrides num_epochs when set"),
  micro_batch_size: z.int().min(1),
  gradient_accumulation_steps: z.int().min(1),
  learning_rate: z.number().positive(),
  lr_scheduler: z.enum(["linear", "cosine", "constant", "constant_with_warmup"]),
  warmup_steps: z.int().min(0),
  warmup_ratio: z.number().min(0).max(1).describe("used when warmup_steps is 0"),
  weight_decay: z.number().min(0),
  max_grad_norm: z.number().positive(),
  max_seq_len: z.int().min(8),
  packing: z.boolean().describe("pack several examples per sequence, attention kept within each example"),
  precision: z
    .enum(["auto", "bf16", "fp16", "fp32"])
    .describe("auto: bf16 where supported, else fp16 on GPU, fp32 on CPU"),
  gradient_checkpointing: z.boolean(),
  attention: z
    .enum(["sdpa", "flex_attention", "varlen", "eager"])
    .describe("the attention kernel transformers uses"),
  liger_kernels: z.boolean().describe("Liger's fused linear cross-entropy, RMSNorm, SwiGLU and RoPE (CUDA)"),
  fused_optimizer: z.boolean().describe("AdamW(fused=True)"),
  compile: z.boolean().describe("torch.compile each decoder layer"),
  logging_steps: z.int().min(1),
  save_steps: z.int().min(1),
  eval_steps: z.int().min(1).nullable().describe("null: evaluate only at the end"),
  seed: z.int().min(0),
});

const DistributedSpec = z.strictObject({
  world_size: z
    .int()
    .min(1)
    .describe("training processes (torchrun's WORLD_SIZE); the trainer refuses a launch with another number"),
  strategy: z
    .enum(["ddp", "fsdp"])
    .describe("ddp: every process holds the whole model; fsdp: each holds a shard of every weight"),
});

const DpoSpec = z.strictObject({
  beta: z.number().positive(),
  loss: z.enum(["sigmoid", "ipo"]),
});

const KtoSpec = z.strictObject({
  beta: z.number().positive(),
  desirable_weight: z.number().positive(),
  undesirable_weight: z.number().positive(),
});

export const TrainSpec = z.strictObject({
  version: z.literal(1),
  run_id: z.string().min(1),
  task: z
    .enum(["sft", "dpo", "kto"])
    .describe(
      "sft: data rows are {segments}; dpo: {prompt, chosen, rejected}; kto: {prompt, completion, label}",
    ),
  dpo: DpoSpec.nullable().describe("set when task is dpo"),
  kto: KtoSpec.nullable().describe("set when task is kto"),
  base_model: z.string().min(1).describe("local model directory or hub id"),
  device: z.enum(["auto", "cpu", "cuda"]),
  data: z.strictObject({
    train: z.string().min(1).describe("formatted train.jsonl (segments with train flags)"),
    eval: z.string().min(1).nullable(),
  }),
  output: z.strictObject({
    checkpoint_dir: z.string().min(1).describe("step-<000000>/ folders are written here, manifest.json last"),
    adapter_dir: z.string().min(1).describe("the final adapter, standard PEFT layout"),
  }),
  resume_from: z.string().min(1).nullable().describe("a complete checkpoint folder to resume from"),
  init_adapter: z
    .string()
    .min(1)
    .nullable()
    .describe(
      "a PEFT adapter folder (the run's own copy, init-adapter/) the trained adapter starts from; dpo/kto also " +
        "load it frozen as the reference. lora's r, alpha and modules are the adapter's",
    ),
  lora: LoraSpec,
  training: TrainingSpec,
  distributed: DistributedSpec,
  store: z
    .strictObject({
      uri: z.string().startsWith("s3://").describe("the run's folder: s3://bucket/prefix/<run-id>"),
      endpoint: z.string().nullable().describe("an S3-compatible endpoint; null: AWS"),
      region: z.string().nullable(),
      path_style: z.boolean(),
    })
    .nullable()
    .describe(
      "null: checkpoints and the adapter stay on the trainer's disk (the orchestrator uploads them); set on a " +
        "cluster: rank 0 writes each one to the store itself, manifest last, and its event names the s3:// folder",
    ),
});
export type TrainSpec = z.infer<typeof TrainSpec>;

export function trainSpecJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TrainSpec, { target: "draft-2020-12" }) as Record<string, unknown>;
}

import { z } from "zod";
import { Eval } from "./eval-schema.js";
import { Tracking } from "./tracking-schema.js";
import { Runtime } from "./runtime-schema.js";
import { strategyIssues } from "./strategy-rules.js";

/**
 * RunConfig: the one schema of a run config (`configs/*.yaml`). Strict everywhere, so a misspelt key is
 * an error with its path, not a silently ignored setting. Types come from it, and so does
 * `schema/config.schema.json` (`npm run schema`), which editors use for completion.
 */
export const BUILTIN_TINY = "builtin:tiny";
export const DATASET_FORMATS = [
  "auto",
  "alpaca",
  "sharegpt",
  "messages",
  "text",
  "preference",
  "kto",
] as const;
export const TEMPLATES = ["alpaca", "chatml", "llama3", "model"] as const;
export const ATTENTION_KERNELS = ["sdpa", "flex_attention", "varlen", "eager"] as const;

const Dataset = z.strictObject({
  path: z.string().min(1).describe("a JSONL or JSON-array file, relative to this config file"),
  format: z.enum(DATASET_FORMATS).default("auto").describe("row format; auto detects it from the rows"),
  template: z
    .enum(["auto", ...TEMPLATES])
    .default("auto")
    .describe(
      "prompt/chat template; model: the base model's own chat template (tokenizer_config.json); " +
        "auto: model when the base model has a chat template, else chatml (the run says which it used)",
    ),
  eval_path: z
    .string()
    .min(1)
    .optional()
    .describe("a held-out eval file (relative to this config file); when set, eval_split is not used"),
  eval_split: z.number().min(0).lt(1).default(0.1).describe("fraction of rows held out for eval"),
  seed: z.int().min(0).default(42).describe("seed of the deterministic train/eval split"),
  reasoning: z
    .enum(["keep", "drop"])
    .default("keep")
    .describe(
      "assistant reasoning (LLaMA-Factory v1 `reasoning` parts): keep writes it the way the template writes " +
        "thinking (<think> blocks in the built-in templates, reasoning_content for a model's own template); " +
        "drop trains the answers without it",
    ),
});

const Lora = z.strictObject({
  r: z.int().min(1).default(16).describe("LoRA rank"),
  alpha: z.number().positive().default(32).describe("LoRA scaling numerator (scale = alpha / r)"),
  dropout: z.number().min(0).lt(1).default(0.05).describe("dropout on the LoRA input"),
  target_modules: z
    .union([z.literal("all-linear"), z.array(z.string().min(1)).min(1)], {
      error: 'expected "all-linear" or a list of module names',
    })
    .default(() => ["q_proj", "k_proj", "v_proj", "o_proj"])
    .describe('module names to adapt, or "all-linear" for every linear layer but the output head'),
  bias: z.enum(["none", "all", "lora_only"]).default("none").describe("which biases are trained"),
  modules_to_save: z
    .array(z.string().min(1))
    .default(() => [])
    .describe("modules trained fully and saved with the adapter (e.g. embed_tokens, lm_head)"),
});

export const TRAINING_METHODS = ["sft", "dpo", "kto"] as const;

export const DpoSettings = z.strictObject({
  beta: z
    .number()
    .positive()
    .default(0.1)
    .describe("how far the policy may move from the reference: higher keeps it closer"),
  loss: z
    .enum(["sigmoid", "ipo"])
    .default("sigmoid")
    .describe("sigmoid: the DPO paper's loss; ipo: squared loss on length-normalized log-ratios (IPO)"),
});

export const KtoSettings = z.strictObject({
  beta: z.number().positive().default(0.1).describe("how far the policy may move from the reference"),
  desirable_weight: z.number().positive().default(1).describe("loss weight of rows labelled true"),
  undesirable_weight: z.number().positive().default(1).describe("loss weight of rows labelled false"),
});

const Training = z
  .strictObject({
    method: z
      .enum(TRAINING_METHODS)
      .default("sft")
      .describe(
        "sft: supervised fine-tuning on chats/text; dpo: preference pairs (chosen vs rejected); kto: " +
          "completions labelled desirable or not. The reference model of dpo/kto is the base with the " +
          "adapter disabled, or training.init_adapter when set",
      ),
    dpo: DpoSettings.optional().describe("DPO settings (training.method: dpo); defaults beta 0.1, sigmoid"),
    kto: KtoSettings.optional().describe("KTO settings (training.method: kto); defaults beta 0.1, weights 1"),
    init_adapter: z
      .string()
      .min(1)
      .optional()
      .describe(
        "an adapter to start from: a run id in the runs directory (a finished run) or a PEFT adapter directory " +
          "(written ./x, ../x, /x or ~/x). Training continues from it; dpo/kto also use it, frozen, as the " +
          "reference (DPO on top of an SFT run). Its rank, alpha and target modules replace lora's",
      ),
    epochs: z
      .number()
      .positive()
      .default(3)
      .describe("passes over the training data; max_steps overrides it"),
    max_steps: z.int().min(1).optional().describe("optimizer steps; when set it overrides epochs"),
    micro_batch_size: z.int().min(1).default(4).describe("examples per forward pass"),
    gradient_accumulation_steps: z.int().min(1).default(1).describe("micro batches per optimizer step"),
    learning_rate: z.number().positive().max(1).default(2e-4).describe("peak learning rate"),
    lr_scheduler: z.enum(["linear", "cosine", "constant", "constant_with_warmup"]).default("cosine"),
    warmup_steps: z.int().min(0).default(0).describe("linear warmup steps; use this or warmup_ratio"),
    warmup_ratio: z.number().min(0).max(1).default(0).describe("warmup as a fraction of all steps"),
    weight_decay: z.number().min(0).default(0).describe("AdamW weight decay"),
    max_grad_norm: z.number().positive().default(1).describe("gradient clipping norm"),
    max_seq_len: z.int().min(8).default(2048).describe("tokens per sequence; longer examples are cut"),
    packing: z.boolean().default(false).describe("pack several examples per sequence (attention kept apart)"),
    precision: z
      .enum(["auto", "bf16", "fp16", "fp32"])
      .default("auto")
      .describe("auto: bf16 where supported, else fp16 on GPU, fp32 on CPU"),
    gradient_checkpointing: z.boolean().default(false).describe("trade compute for activation memory"),
    attention: z
      .enum(ATTENTION_KERNELS)
      .default("sdpa")
      .describe(
        "attention kernel: sdpa (PyTorch's); varlen: PyTorch's variable-length flash attention, each " +
          "example of a packed row attended on its own, no mask built (bf16/fp16 on CUDA; example by example " +
          "on CPU); flex_attention: block-sparse document masks (compiled on first use); eager: plain matmuls",
      ),
    liger_kernels: z
      .boolean()
      .default(false)
      .describe(
        "Liger's Triton kernels (CUDA only): fused linear + cross-entropy (no tokens × vocab logits), " +
          "RMSNorm, SwiGLU and RoPE",
      ),
    fused_optimizer: z
      .boolean()
      .default(false)
      .describe("torch's fused AdamW: one kernel for all parameters"),
    compile: z
      .boolean()
      .default(false)
      .describe("torch.compile each decoder layer (the first steps pay the compile time)"),
    logging_steps: z.int().min(1).default(10).describe("a step event every this many optimizer steps"),
    save_steps: z.int().min(1).default(200).describe("a checkpoint every this many optimizer steps"),
    eval_steps: z
      .int()
      .min(1)
      .nullable()
      .default(null)
      .describe("eval every this many steps; null: at the end"),
    seed: z.int().min(0).default(42).describe("seed of initialisation, dropout and data order"),
    strategy: z
      .enum(["ddp", "fsdp"])
      .default("ddp")
      .describe(
        "with several processes (runtime.processes, or a ray runtime's workers): ddp, every process holds the " +
          "whole model; fsdp, each holds 1/processes of every weight (a base too big for one GPU; local and docker " +
          "runtimes)",
      ),
  })
  .check((ctx) => {
    const { method, packing } = ctx.value;
    if (method !== "sft" && packing) {
      ctx.issues.push({
        code: "custom",
        input: packing,
        path: ["packing"],
        message: `packing joins SFT examples; ${method} trains each row on its own: set packing: false`,
      });
    }
    // Settings of another method than the one trained would be ignored without a word: said instead.
    for (const other of ["dpo", "kto"] as const) {
      if (ctx.value[other] !== undefined && method !== other) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value[other],
          path: [other],
          message: `training.${other} is set but training.method is ${method}: set method: ${other}, or remove the ${other} block`,
        });
      }
    }
    const { warmup_steps, warmup_ratio } = ctx.value;
    if (warmup_steps > 0 && warmup_ratio > 0) {
      ctx.issues.push({
        code: "custom",
        input: warmup_ratio,
        path: ["warmup_ratio"],
        message: `set warmup_steps or warmup_ratio, not both (warmup_steps is ${warmup_steps})`,
      });
    }
  });

const Checkpoints = z.strictObject({
  store: z
    .string()
    .min(1)
    .optional()
    .describe(
      "checkpoint store: a directory (relative to the working directory; a mounted network disk), or " +
        "s3://bucket/prefix (credentials from the usual AWS sources: env, profile, instance role); each run's " +
        "checkpoints, adapter, state and report are copied there as they are written. Default: the runs " +
        "directory itself (runs/<run-id>/checkpoints), which does not outlive the machine",
    ),
  keep_last: z.int().min(1).optional().describe("keep only this many newest checkpoints; default all"),
  keep_best: z
    .strictObject({
      metric: z.string().min(1).describe("a metric of the trainer's eval events, e.g. eval_loss"),
      mode: z.enum(["min", "max"]).describe("min: lower is better (a loss); max: higher is better"),
    })
    .optional()
    .describe("never prune the best complete checkpoint by this metric (on top of keep_last's newest)"),
  s3: z
    .strictObject({
      endpoint: z.url().optional().describe("an S3-compatible endpoint (MinIO, R2, ...); default AWS"),
      region: z.string().min(1).optional().describe("default AWS_REGION, else us-east-1"),
      path_style: z
        .boolean()
        .optional()
        .describe("bucket in the path instead of the host name; default on when endpoint is set"),
    })
    .prefault({})
    .describe("how to reach an s3:// store"),
});

const Cost = z.strictObject({
  price_per_gpu_hour: z
    .number()
    .min(0)
    .optional()
    .describe("what one GPU-hour costs; the report prices the run with it (no cost section without it)"),
  currency: z.string().min(1).default("USD"),
});

const Output = z.strictObject({
  runs_dir: z.string().min(1).default("runs").describe("run directories (relative to the working directory)"),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected letters, digits, '.', '_' or '-'")
    .optional()
    .describe("a name put in front of run ids"),
});

const BaseModel = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith("builtin:") || value === BUILTIN_TINY, {
    error: `unknown builtin model; the only one is ${BUILTIN_TINY}`,
  })
  .describe(
    `a hub id (org/name), a local model directory (start it with ./, ../, / or ~/; relative to this ` +
      `config file), or ${BUILTIN_TINY}: the project's own tiny model, made offline on first use`,
  );

export const RunConfig = z
  .strictObject({
    base_model: BaseModel,
    device: z.enum(["auto", "cpu", "cuda"]).default("auto").describe("auto: cuda when available"),
    datasets: z.array(Dataset).min(1).describe("training data; several files are concatenated"),
    lora: Lora.prefault({}),
    training: Training.prefault({}),
    runtime: Runtime.prefault({ type: "local" }),
    checkpoints: Checkpoints.prefault({}),
    eval: Eval.prefault({}),
    output: Output.prefault({}),
    cost: Cost.prefault({}),
    tracking: Tracking.optional(),
    publish: z
      .strictObject({
        repo: z
          .string()
          .regex(/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/, "expected a Hub model repo id, org/name")
          .describe("the model repo; created when missing (HF_TOKEN needs write access)"),
        private: z.boolean().default(false).describe("create the repo private"),
      })
      .optional()
      .describe("publish the adapter and its model card to the Hugging Face Hub when every gate passed"),
  })
  .check((ctx) => {
    for (const issue of strategyIssues({ ...ctx.value.training, runtime: ctx.value.runtime })) {
      ctx.issues.push({ code: "custom", ...issue });
    }
    if (ctx.value.device === "cpu" && ctx.value.training.attention === "flex_attention") {
      ctx.issues.push({
        code: "custom",
        input: "flex_attention",
        path: ["training", "attention"],
        message:
          "flex_attention trains on CUDA only (PyTorch has no CPU backward for it); on device cpu use sdpa",
      });
    }
    if (
      ctx.value.device === "cuda" &&
      ctx.value.training.attention === "varlen" &&
      ctx.value.training.precision === "fp32"
    ) {
      ctx.issues.push({
        code: "custom",
        input: "varlen",
        path: ["training", "attention"],
        message:
          "varlen runs flash attention, which needs bf16 or fp16 on a GPU; set precision: bf16 (or auto)",
      });
    }
    if (ctx.value.device === "cpu" && ctx.value.training.liger_kernels) {
      ctx.issues.push({
        code: "custom",
        input: true,
        path: ["training", "liger_kernels"],
        message: "Liger's kernels are Triton GPU kernels; on device cpu set liger_kernels: false",
      });
    }
    if (ctx.value.device === "cpu" && ctx.value.training.precision === "fp16") {
      ctx.issues.push({
        code: "custom",
        input: "fp16",
        path: ["training", "precision"],
        message: "fp16 training needs a GPU; on device cpu use fp32 or bf16",
      });
    }
  });
export type RunConfig = z.infer<typeof RunConfig>;
export type DatasetConfig = RunConfig["datasets"][number];

/** JSON Schema of what a user may write: defaults are optional keys, and `extends` is allowed. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunConfig, { target: "draft-2020-12", io: "input" }) as {
    properties: Record<string, unknown>;
  };
  const extendsKey = {
    type: "string",
    description:
      "another config file (relative to this one) that this one builds on; objects merge, lists replace",
  };
  return { ...schema, properties: { extends: extendsKey, ...schema.properties } };
}

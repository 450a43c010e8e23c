import { join } from "node:path";
import { worldSize } from "./runtime-schema.js";
import { BUILTIN_TINY, DpoSettings, KtoSettings, type RunConfig } from "./schema.js";
import { TrainSpec } from "./train-spec.js";

export interface RenderOptions {
  runId: string;
  runDir: string;
  /** The formatted train split (segments with train flags), written by the dataset stage. */
  trainPath: string;
  evalPath: string | null;
  /** The model directory to train; required for builtin:tiny, which the launch stage makes. */
  baseModelPath?: string;
  resumeFrom?: string | null;
  /** training.init_adapter: the run's copy, and the LoRA settings it brings (stages/init-adapter.ts). */
  initAdapter?: { dir: string; lora: TrainSpec["lora"] };
}

/**
 * The resolved config → the trainer's only input. Every TrainSpec field is set here, explicitly, so
 * nothing is left to Python defaults.
 */
export function renderTrainSpec(config: RunConfig, options: RenderOptions): TrainSpec {
  const { lora, training } = config;
  return TrainSpec.parse({
    version: 1,
    run_id: options.runId,
    task: training.method,
    dpo: training.method === "dpo" ? DpoSettings.parse(training.dpo ?? {}) : null,
    kto: training.method === "kto" ? KtoSettings.parse(training.kto ?? {}) : null,
    base_model: baseModel(config, options),
    device: config.device,
    data: { train: options.trainPath, eval: options.evalPath },
    output: {
      checkpoint_dir: join(options.runDir, "checkpoints"),
      adapter_dir: join(options.runDir, "adapter"),
    },
    resume_from: options.resumeFrom ?? null,
    init_adapter: options.initAdapter?.dir ?? null,
    lora: options.initAdapter?.lora ?? {
      r: lora.r,
      alpha: lora.alpha,
      dropout: lora.dropout,
      target_modules: lora.target_modules,
      bias: lora.bias,
      modules_to_save: lora.modules_to_save,
    },
    training: {
      num_epochs: training.epochs,
      max_steps: training.max_steps ?? null,
      micro_batch_size: training.micro_batch_size,
      gradient_accumulation_steps: training.gradient_accumulation_steps,
      learning_rate: training.learning_rate,
      lr_scheduler: training.lr_scheduler,
      warmup_steps: training.warmup_steps,
      warmup_ratio: training.warmup_ratio,
      weight_decay: training.weight_decay,
      max_grad_norm: training.max_grad_norm,
      max_seq_len: training.max_seq_len,
      packing: training.packing,
      precision: training.precision,
      gradient_checkpointing: training.gradient_checkpointing,
      attention: training.attention,
      liger_kernels: training.liger_kernels,
      fused_optimizer: training.fused_optimizer,
      compile: training.compile,
      logging_steps: training.logging_steps,
      save_steps: training.save_steps,
      eval_steps: training.eval_steps,
      seed: training.seed,
    },
    distributed: { world_size: worldSize(config.runtime), strategy: training.strategy },
    store: null,
  });
}

function baseModel(config: RunConfig, options: RenderOptions): string {
  if (options.baseModelPath) return options.baseModelPath;
  if (config.base_model === BUILTIN_TINY) {
    throw new Error(
      `renderTrainSpec: ${BUILTIN_TINY} needs baseModelPath (the launch stage makes the model)`,
    );
  }
  return config.base_model;
}

/** Placeholder run paths for showing what a config becomes before a run exists. */
export function previewTrainSpec(config: RunConfig): TrainSpec {
  const runDir = join(config.output.runs_dir, "<run-id>");
  const hasEval = config.datasets.some((d) => d.eval_path !== undefined || d.eval_split > 0);
  return renderTrainSpec(config, {
    runId: "<run-id>",
    runDir,
    trainPath: join(runDir, "data", "train.jsonl"),
    evalPath: hasEval ? join(runDir, "data", "eval.jsonl") : null,
    baseModelPath: config.base_model === BUILTIN_TINY ? "<builtin:tiny, made at launch>" : undefined,
    resumeFrom: null,
  });
}

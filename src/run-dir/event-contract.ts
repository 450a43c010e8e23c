import { z } from "zod";

/**
 * The event stream: the trainer writes one JSON object per line on stdout; everything else goes to stderr.
 * This file is the contract (schema/events.schema.json is generated from it; the trainer tests validate
 * every event docker/train.py writes against that file).
 */
const base = { v: z.literal(1), time: z.number().describe("unix seconds") };

export const StartEvent = z.object({
  ...base,
  type: z.literal("start"),
  run_id: z.string(),
  device: z.string(),
  precision: z.enum(["bf16", "fp16", "fp32"]),
  peak_flops: z
    .number()
    .nullable()
    .optional()
    .describe(
      "the GPU's dense bf16/fp16 peak FLOP/s when known (for MFU); null on CPU, fp32 or an unknown GPU",
    ),
  params_total: z.int(),
  params_trainable: z.int(),
  total_steps: z.int(),
  start_step: z.int().describe("0, or the step a resumed run continues from"),
  method: z.enum(["sft", "dpo", "kto"]).optional().describe("the training method (absent: sft)"),
  train_examples: z.int().describe("sft: examples; dpo: pairs; kto: labelled completions"),
  train_sequences: z.int().describe("sequences after packing (dpo: pairs)"),
  world_size: z
    .int()
    .optional()
    .describe("training processes (absent from runs made before it was recorded)"),
  strategy: z
    .enum(["ddp", "fsdp"])
    .nullable()
    .optional()
    .describe(
      "several processes: ddp (each holds the whole model) or fsdp (each a shard); null: one process",
    ),
  global_batch_size: z
    .int()
    .optional()
    .describe("sequences per optimizer step: micro-batch × accumulation × world_size"),
});
/** What DPO and KTO steps and evals add: the implicit rewards β·(log π − log π_ref) of the answers. */
const preferenceMetrics = {
  rewards_chosen: z
    .number()
    .optional()
    .describe("dpo/kto: mean implicit reward of the chosen (kto: desirable) answers"),
  rewards_rejected: z
    .number()
    .optional()
    .describe("dpo/kto: mean implicit reward of the rejected (kto: undesirable) answers"),
  reward_margin: z.number().optional().describe("dpo: mean of chosen minus rejected reward per pair"),
  preference_accuracy: z
    .number()
    .optional()
    .describe("dpo: share of pairs whose chosen answer has the higher reward"),
  kl: z.number().optional().describe("kto: the batch's estimate of KL(policy ‖ reference), clamped at 0"),
};

export const StepEvent = z.object({
  ...base,
  type: z.literal("step"),
  step: z.int(),
  total_steps: z.int(),
  epoch: z.number(),
  loss: z.number(),
  lr: z.number(),
  grad_norm: z.number(),
  tokens_per_s: z.number(),
  tokens: z.int().describe("non-padding tokens processed so far"),
  elapsed_s: z.number(),
  ...preferenceMetrics,
});
export const EvalEvent = z.object({
  ...base,
  type: z.literal("eval"),
  step: z.int(),
  eval_loss: z.number().describe("sft: per-token loss; dpo/kto: the method's loss per row"),
  eval_tokens: z.int(),
  ...preferenceMetrics,
});
export const CheckpointEvent = z.object({
  ...base,
  type: z.literal("checkpoint"),
  step: z.int(),
  path: z.string().describe("the complete checkpoint folder (its manifest.json already written)"),
});
export const DoneEvent = z.object({
  ...base,
  type: z.literal("done"),
  adapter_path: z.string(),
  metrics: z.object({
    steps: z.int(),
    train_loss: z.number(),
    eval_loss: z.number().nullable(),
    tokens: z.int(),
    runtime_s: z.number(),
  }),
});
export const ErrorEvent = z.object({
  ...base,
  type: z.literal("error"),
  code: z.string(),
  message: z.string(),
});

export const TrainerEvent = z.discriminatedUnion("type", [
  StartEvent,
  StepEvent,
  EvalEvent,
  CheckpointEvent,
  DoneEvent,
  ErrorEvent,
]);
export type TrainerEvent = z.infer<typeof TrainerEvent>;
export type DoneEvent = z.infer<typeof DoneEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type StepEvent = z.infer<typeof StepEvent>;

/**
 * schema/events.schema.json: what the trainer may write, one object per line. Stricter than the reader
 * above (which skips what it does not know): every field the contract names, and nothing else.
 */
export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TrainerEvent, { target: "draft-2020-12", io: "output" }) as {
    oneOf?: Record<string, unknown>[];
    anyOf?: Record<string, unknown>[];
  };
  for (const variant of schema.oneOf ?? schema.anyOf ?? []) variant.additionalProperties = false;
  return schema;
}

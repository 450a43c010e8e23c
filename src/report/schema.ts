import { z } from "zod";
import type { MetricResult as MetricResultShape } from "../eval/types.js";

/**
 * report.json, the machine-readable outcome of a run (DESIGN.md contract 4). report.md and report.html are
 * renderings of it and nothing else; `npm run schema` writes schema/report.schema.json from this file.
 */
export const REPORT_VERSION = 1;

const Point = z.tuple([z.int(), z.number()]).describe("[step, value]");

export const MetricResult = z.strictObject({
  suite: z.string(),
  metric: z.string(),
  kind: z.enum(["binary", "continuous"]).describe("binary: a 0/1 pass/fail score per case"),
  higherIsBetter: z.boolean().describe("false for latency, loss, perplexity"),
  n: z.int().min(0).describe("paired cases"),
  base: z.number(),
  adapter: z.number(),
  difference: z.number().describe("adapter − base"),
  ci95: z.tuple([z.number(), z.number()]).describe("paired bootstrap 95 % interval of the difference"),
  pValue: z.number().min(0).max(1),
  test: z.enum(["mcnemar", "sign-flip", "paired-bootstrap", "none"]),
  verdict: z.enum(["better", "worse", "no-significant-difference"]),
});

export const Dataset = z.strictObject({
  source: z.string().describe("the dataset file as the config names it"),
  eval_source: z.string().nullable().describe("a separate eval file; null when eval was split off"),
  format: z.string().describe("the format the validator detected"),
  template: z.string(),
  rows: z.int().min(0).describe("rows read from the source"),
  train: z.int().min(0),
  eval: z.int().min(0),
  skipped: z.int().min(0),
});

export const Curves = z.strictObject({
  loss: z.array(Point).describe("train loss per logged step"),
  lr: z.array(Point),
  eval_loss: z.array(Point).describe("held-out loss; step 0 is the base model"),
});

/** The last logged implicit-reward numbers of a DPO or KTO run, on the training rows and the held-out ones. */
const PreferenceNumbers = z.strictObject({
  rewards_chosen: z.number().nullable(),
  rewards_rejected: z.number().nullable(),
  reward_margin: z.number().nullable().describe("dpo: mean chosen − rejected reward per pair"),
  accuracy: z.number().nullable().describe("dpo: share of pairs whose chosen answer has the higher reward"),
});

export const Preference = z.strictObject({
  train: PreferenceNumbers.describe("the last step event (mean over its logging window)"),
  eval: PreferenceNumbers.nullable().describe("the last eval; null without a held-out split"),
  accuracy_curve: z.array(Point).describe("dpo: preference accuracy per logged step"),
});

export type Preference = z.infer<typeof Preference>;

export const Training = z.strictObject({
  method: z
    .enum(["sft", "dpo", "kto"])
    .optional()
    .describe("the training method (absent in reports of runs before methods existed: sft)"),
  preference: Preference.optional().describe("dpo/kto runs: implicit rewards and preference accuracy"),
  init_adapter: z
    .strictObject({ source: z.string(), sha256: z.record(z.string(), z.string()) })
    .optional()
    .describe("training.init_adapter: the run or directory the adapter started from, and its files' sha256"),
  steps: z.int().min(0),
  total_steps: z.int().min(0),
  epochs: z.number().min(0),
  resumes: z.int().min(0).describe("how many times the run continued from a checkpoint"),
  final_train_loss: z.number().nullable(),
  best_eval_loss: z.number().nullable(),
  best_eval_step: z.int().nullable(),
  base_eval_loss: z.number().nullable().describe("eval loss at step 0, before any training"),
  final_eval_loss: z.number().nullable(),
  tokens: z.int().min(0).describe("non-padding tokens trained on"),
  wall_time_s: z.number().min(0).describe("from the first start event to the last event, pauses excluded"),
  train_time_s: z.number().min(0).describe("time inside optimizer steps"),
  tokens_per_s: z.number().min(0).describe("tokens / train_time_s"),
  mfu: z
    .number()
    .min(0)
    .nullable()
    .optional()
    .describe(
      "model FLOPs utilisation: tokens/s × 6 × params_total / the GPU's peak; null when the peak is unknown",
    ),
  params_trainable: z.int().min(0),
  params_total: z.int().min(0),
  device: z.string(),
  precision: z.enum(["bf16", "fp16", "fp32"]),
  world_size: z.int().min(1).optional().describe("training processes (DDP or FSDP ranks)"),
  strategy: z
    .enum(["ddp", "fsdp"])
    .optional()
    .describe("several processes: ddp (each holds the whole model) or fsdp (each a shard of it)"),
  global_batch_size: z
    .int()
    .min(1)
    .optional()
    .describe("sequences per optimizer step: micro-batch × accumulation × world_size"),
  curves: Curves,
});

export const Checkpoint = z.strictObject({
  step: z.int().min(0),
  path: z.string().describe("relative to the run directory"),
  complete: z.boolean(),
});

export const Disagreement = z.strictObject({
  index: z.int().min(0),
  prompt: z.string(),
  reference: z.string(),
  base: z.string(),
  adapter: z.string(),
});

export const Suite = z.strictObject({
  name: z.string(),
  cases: z.int().min(0),
  metrics: z.array(MetricResult),
  disagreements: z.array(Disagreement).describe("up to a few cases where base and adapter differ"),
  champion: z
    .array(MetricResult)
    .optional()
    .describe("the adapter against eval.compare_to's on the same cases: `base` is the champion's value"),
});

export const Gate = z.strictObject({
  metric: z.string().describe("the gate's key: `metric` or `suite/metric`"),
  suite: z.string().nullable().describe("the suite measured; null when no suite produced the metric"),
  expression: z.string().describe('as written in eval.gates, e.g. ">= base + 0.05"'),
  actual: z.number().nullable().describe("the adapter's value; null when no suite produced the metric"),
  threshold: z.number().nullable(),
  passed: z.boolean(),
});

export const Cost = z.strictObject({
  gpus: z.int().min(0).describe("0 on CPU"),
  gpu_hours: z.number().min(0).describe("device-hours: wall hours × GPUs (a CPU-only run counts one device)"),
  price_per_gpu_hour: z.number().min(0),
  currency: z.string(),
  total: z.number().min(0),
});

export const OUTCOMES = ["passed", "gates-failed", "not-stored", "failed", "interrupted"] as const;

export const StoreOutcome = z.strictObject({
  uri: z.string().describe("the run's checkpoints.store"),
  stored: z.array(z.string()).describe('what reached it, e.g. "checkpoint step 20", "adapter"'),
  not_stored: z
    .array(z.strictObject({ what: z.string(), error: z.string() }))
    .describe("what did not, and why"),
});

export const Report = z.strictObject({
  version: z.literal(REPORT_VERSION),
  run_id: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  finished_at: z.iso.datetime({ offset: true }),
  config: z.strictObject({ file: z.string(), hash: z.string() }),
  base_model: z.string(),
  base_model_revision: z
    .string()
    .optional()
    .describe("the commit sha a hub base model resolved to (absent for local and built-in models)"),
  runtime: z.string(),
  outcome: z.strictObject({
    status: z
      .enum(OUTCOMES)
      .describe(
        "passed: trained and every gate held; gates-failed: trained, a gate failed; not-stored: trained, " +
          "but checkpoints, the adapter or the run state did not reach the s3:// store",
      ),
    message: z.string().nullable(),
  }),
  datasets: z.array(Dataset),
  training: Training.nullable().describe("null when the trainer never started"),
  checkpoints: z.array(Checkpoint).describe("newest first"),
  suites: z.array(Suite),
  gates: z.array(Gate),
  cost: Cost.nullable().describe("null when no price per GPU-hour is configured"),
  champion: z
    .strictObject({
      source: z.string().describe("eval.compare_to as written: a run id or an adapter directory"),
      run_id: z.string().nullable().describe("the champion's run, when compare_to named one"),
    })
    .nullable()
    .default(null)
    .describe("what the adapter was compared with besides its base; null without eval.compare_to"),
  store: StoreOutcome.nullable()
    .default(null)
    .describe("what reached the run's s3:// checkpoint store; null with a local store"),
});
export type Report = z.infer<typeof Report>;
export type Training = z.infer<typeof Training>;
export type Suite = z.infer<typeof Suite>;
export type Gate = z.infer<typeof Gate>;
export type Disagreement = z.infer<typeof Disagreement>;
export type Dataset = z.infer<typeof Dataset>;
export type StoreOutcome = z.infer<typeof StoreOutcome>;
export type Point = z.infer<typeof Point>;
export type Outcome = (typeof OUTCOMES)[number];

// The eval stage owns MetricResult; this fails to compile when the two shapes drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const metricShapeMatches: Same<z.infer<typeof MetricResult>, MetricResultShape> = true;
void metricShapeMatches;

export function reportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Report, { target: "draft-2020-12" }) as Record<string, unknown>;
}

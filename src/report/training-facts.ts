import { formatCount, formatNumber, formatSeconds } from "./numbers.js";
import type { Training } from "./schema.js";

/** The training table's rows, label → text; both renderings (markdown and HTML) show the same facts. */
export function trainingFacts(t: Training): [string, string][] {
  const loss = (v: number | null) => (v === null ? "—" : formatNumber(v));
  return [
    [
      "Steps",
      `${formatCount(t.steps)} of ${formatCount(t.total_steps)} (${t.epochs.toFixed(2)} epochs${t.resumes ? `, resumed ${t.resumes}×` : ""})`,
    ],
    ["Train loss (final)", loss(t.final_train_loss)],
    ["Eval loss: base → final", `${loss(t.base_eval_loss)} → ${loss(t.final_eval_loss)}`],
    [
      "Best eval loss",
      t.best_eval_step === null ? "—" : `${loss(t.best_eval_loss)} at step ${t.best_eval_step}`,
    ],
    ["Tokens", `${formatCount(t.tokens)} (${formatNumber(t.tokens_per_s)} tokens/s${mfuText(t.mfu)})`],
    ["Wall time", formatSeconds(t.wall_time_s)],
    ["Parameters", `${formatCount(t.params_trainable)} trainable of ${formatCount(t.params_total)}`],
    ["Device", `${t.device}, ${t.precision}${processesText(t.world_size)}`],
    ...(t.global_batch_size
      ? [["Batch", `${t.global_batch_size} sequences per step`] as [string, string]]
      : []),
  ];
}

const processesText = (world: number | undefined) => (world && world > 1 ? `, ${world} processes (DDP)` : "");

const mfuText = (mfu: number | null | undefined) =>
  mfu === null || mfu === undefined ? "" : `, MFU ${(100 * mfu).toFixed(1)}% of the GPU's bf16 peak (6N)`;

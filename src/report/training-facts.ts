import { formatCount, formatNumber, formatSeconds } from "./numbers.js";
import type { Training } from "./schema.js";

/** The training table's rows, label → text; both renderings (markdown and HTML) show the same facts. */
export function trainingFacts(t: Training): [string, string][] {
  const loss = (v: number | null) => (v === null ? "—" : formatNumber(v));
  return [
    ...(t.method && t.method !== "sft" ? preferenceFacts(t) : []),
    ...(t.init_adapter ? [["Trained on top of", initAdapterText(t.init_adapter)] as [string, string]] : []),
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
    ["Device", `${t.device}, ${t.precision}${processesText(t.world_size, t.strategy)}`],
    ...(t.global_batch_size
      ? [["Batch", `${t.global_batch_size} sequences per step`] as [string, string]]
      : []),
  ];
}

const initAdapterText = ({ source, sha256 }: NonNullable<Training["init_adapter"]>) =>
  `${source} (adapter_model.safetensors sha256 ${sha256["adapter_model.safetensors"]?.slice(0, 12) ?? "—"})`;

const processesText = (world: number | undefined, strategy = "ddp") =>
  world && world > 1 ? `, ${world} processes (${strategy.toUpperCase()})` : "";

const mfuText = (mfu: number | null | undefined) =>
  mfu === null || mfu === undefined ? "" : `, MFU ${(100 * mfu).toFixed(1)}% of the GPU's bf16 peak (6N)`;

/** DPO/KTO: the method, then the implicit rewards (β·log-ratio to the reference) and preference accuracy. */
function preferenceFacts(t: Training): [string, string][] {
  const p = t.preference;
  const value = (v: number | null | undefined) => (v === null || v === undefined ? "—" : formatNumber(v));
  const share = (v: number | null | undefined) =>
    v === null || v === undefined ? "—" : `${(100 * v).toFixed(1)}%`;
  const rows: [string, string][] = [["Method", t.method!.toUpperCase()]];
  if (!p) return rows;
  rows.push([
    "Rewards chosen / rejected (train, last)",
    `${value(p.train.rewards_chosen)} / ${value(p.train.rewards_rejected)}`,
  ]);
  if (t.method === "dpo") {
    rows.push(["Reward margin (train, last)", value(p.train.reward_margin)]);
    rows.push([
      "Preference accuracy: train → held out",
      `${share(p.train.accuracy)} → ${share(p.eval?.accuracy)}`,
    ]);
  }
  return rows;
}

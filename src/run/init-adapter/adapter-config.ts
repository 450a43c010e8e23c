import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { RunConfig } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { UsageError, messageOf } from "../../errors/index.js";

/** A config setting that names an adapter (a run id or a directory): its key, and its errors' code prefix. */
export interface AdapterSetting {
  key: string;
  code: string;
}
export const INIT_ADAPTER: AdapterSetting = { key: "training.init_adapter", code: "init-adapter" };
export const COMPARE_TO: AdapterSetting = { key: "eval.compare_to", code: "champion" };
export const SETTING = INIT_ADAPTER.key;

export { ADAPTER_FILES } from "../../run-dir/index.js";
import { ADAPTER_FILES } from "../../run-dir/index.js";

/** What adapter_config.json (PEFT's LoraConfig, saved) says that matters here; other keys pass through. */
const AdapterConfig = z.looseObject({
  peft_type: z.literal("LORA", { error: "peft_type is not LORA" }),
  r: z.int().min(1),
  lora_alpha: z.number().positive(),
  target_modules: z.union([z.string(), z.array(z.string())]),
  bias: z.enum(["none", "all", "lora_only"]).default("none"),
  modules_to_save: z.array(z.string()).nullable().default(null),
  base_model_name_or_path: z.string().nullable().optional(),
});
export type AdapterConfig = z.infer<typeof AdapterConfig>;

/** adapter_config.json of the adapter folder `dir`; `source` is what the config named (for the message). */
export async function readAdapterConfig(
  dir: string,
  source: string,
  setting: AdapterSetting = INIT_ADAPTER,
): Promise<AdapterConfig> {
  const file = join(dir, "adapter_config.json");
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw notAnAdapter(source, `${file} is not readable JSON (${messageOf(error)})`, setting);
  }
  const parsed = AdapterConfig.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  throw notAnAdapter(source, `${file} › ${first.path.join(".") || "(root)"}: ${first.message}`, setting);
}

export const notAnAdapter = (source: string, why: string, setting: AdapterSetting = INIT_ADAPTER) =>
  new UsageError(`${setting.code}-not-adapter`, `${setting.key}: ${source} is not a LoRA adapter: ${why}`, {
    hint: `point ${setting.key} at a folder PEFT's save_pretrained wrote (${ADAPTER_FILES.join(" + ")}), or at a finished run's id`,
  });

/**
 * The LoRA settings the run trains with: the adapter's rank, alpha, target modules, bias and saved modules
 * (the adapter decides them: its weights have that shape), and the config's dropout, except for dpo/kto,
 * whose policy must start exactly as its reference (dropout would move the first step off ln 2). Each
 * config value that differs is said in a note.
 */
export function adapterLora(config: RunConfig, adapter: AdapterConfig) {
  const targets = adapter.target_modules;
  const lora: TrainSpec["lora"] = {
    r: adapter.r,
    alpha: adapter.lora_alpha,
    dropout: config.training.method === "sft" ? config.lora.dropout : 0,
    target_modules: typeof targets === "string" && targets !== "all-linear" ? [targets] : targets,
    bias: adapter.bias,
    modules_to_save: adapter.modules_to_save ?? [],
  };
  const text = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort().join(",") : String(v));
  const notes: string[] = [];
  for (const key of ["r", "alpha", "target_modules", "bias", "modules_to_save", "dropout"] as const) {
    const mine = config.lora[key];
    // "all-linear" is saved expanded to the module names: that is not a contradiction.
    if (key === "target_modules" && mine === "all-linear") continue;
    if (text(mine) === text(lora[key])) continue;
    const why = key === "dropout" ? `${config.training.method} starts as its reference` : "the adapter's";
    notes.push(`lora.${key} ${text(mine)} → ${text(lora[key])} (${why})`);
  }
  return { lora, notes };
}

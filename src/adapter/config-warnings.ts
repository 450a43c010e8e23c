import type { RunConfig } from "../config/index.js";
import { TARGET_NAMES, type AdapterConfigJson, type Finding, type ServingTarget } from "./findings.js";
import { configFindings } from "./serving-rules.js";

// The adapter_config.json field each lora setting becomes (the trainer passes them to peft's LoraConfig).
const CONFIG_KEYS: Partial<Record<keyof AdapterConfigJson, string>> = {
  r: "lora.r",
  lora_alpha: "lora.alpha",
  target_modules: "lora.target_modules",
  bias: "lora.bias",
  modules_to_save: "lora.modules_to_save",
};

/**
 * The serving rules applied to a config before it trains: the adapter it would make, as vLLM and TGI would
 * take it. Warnings only — training such an adapter is allowed (a merged export serves anywhere).
 */
export function servingWarnings(config: RunConfig, targets: ServingTarget[] = ["vllm", "tgi"]): Finding[] {
  const adapter: AdapterConfigJson = {
    peft_type: "LORA",
    r: config.lora.r,
    lora_alpha: config.lora.alpha,
    target_modules: config.lora.target_modules,
    bias: config.lora.bias,
    modules_to_save: config.lora.modules_to_save,
  };
  return targets.flatMap((target) =>
    configFindings(adapter, target).map((finding) => ({
      ...finding,
      severity: "warning" as const,
      setting: CONFIG_KEYS[finding.setting as keyof AdapterConfigJson] ?? finding.setting,
      message: finding.message.includes(TARGET_NAMES[target])
        ? finding.message
        : `${TARGET_NAMES[target]}: ${finding.message}`,
    })),
  );
}

export const warningLine = (f: Finding) => `warning: ${f.setting}: ${f.value} — ${f.message} (${f.fix})`;

/** The serving engines an adapter is checked for; `peft` is plain PeftModel.from_pretrained. */
export const SERVING_TARGETS = ["vllm", "tgi", "peft"] as const;
export type ServingTarget = (typeof SERVING_TARGETS)[number];

export const TARGET_NAMES: Record<ServingTarget, string> = { vllm: "vLLM", tgi: "TGI", peft: "peft" };

/** adapter_config.json as peft writes it; only the fields the rules read are named. */
export interface AdapterConfigJson {
  peft_type?: unknown;
  r?: unknown;
  lora_alpha?: unknown;
  target_modules?: unknown;
  bias?: unknown;
  modules_to_save?: unknown;
  use_dora?: unknown;
  rank_pattern?: unknown;
  base_model_name_or_path?: unknown;
}

/** One thing a serving engine would refuse (error) or serve differently than trained (warning). */
export interface Finding {
  severity: "error" | "warning";
  /** What it concerns: an adapter_config.json field, a weights file, or (at config validate) a config key. */
  setting: string;
  /** The value found there, when there is one to show. */
  value?: string;
  message: string;
  fix: string;
}

export const failsTarget = (findings: Finding[]) => findings.some((f) => f.severity === "error");

export function findingLine(finding: Finding): string {
  const value = finding.value === undefined ? "" : `: ${finding.value}`;
  return `${finding.severity === "error" ? "error  " : "warning"} ${finding.setting}${value} — ${finding.message}\n        what to do: ${finding.fix}`;
}

import type { AdapterConfigJson, Finding, ServingTarget } from "./findings.js";

/** One rule of a serving engine over adapter_config.json: `breaks` gives the offending value, or undefined. */
export interface ConfigRule {
  setting: keyof AdapterConfigJson;
  severity: Finding["severity"];
  breaks: (config: AdapterConfigJson) => unknown;
  message: string;
  fix: string;
}

const listed = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value : undefined);
const notNone = (value: unknown) => (value !== undefined && value !== "none" ? value : undefined);
const missing = (value: unknown) => (value === undefined || value === null ? "missing" : undefined);

/** The largest rank the adapter uses: `r`, or a larger per-module rank in `rank_pattern`. */
export function maxRank(config: AdapterConfigJson): number {
  const pattern = config.rank_pattern && typeof config.rank_pattern === "object" ? config.rank_pattern : {};
  const ranks = Object.values(pattern).filter((v): v is number => typeof v === "number");
  return Math.max(typeof config.r === "number" ? config.r : 0, ...ranks);
}

// vLLM's max_lora_rank accepts only these values (vllm/config/lora.py: MaxLoRARanks = Literal[1, 8, 16,
// 32, 64, 128, 256, 320, 512]; default 16, docs.vllm.ai/en/v0.14.0/api/vllm/config/lora/).
export const VLLM_MAX_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512];
export const VLLM_DEFAULT_MAX_LORA_RANK = 16;

const required = (engine: string, setting: "r" | "lora_alpha" | "target_modules"): ConfigRule => ({
  setting,
  severity: "error",
  breaks: (c) => missing(c[setting]),
  message: `${engine} requires r, lora_alpha and target_modules in adapter_config.json`,
  fix: "save the adapter with peft's save_pretrained (it writes all three)",
});

const loraOnly: ConfigRule = {
  setting: "peft_type",
  severity: "error",
  breaks: (c) => (c.peft_type !== "LORA" ? String(c.peft_type ?? "missing") : undefined),
  message: "only LoRA adapters are served as adapters",
  fix: "train a LoRA adapter (pipeline trains only LoRA), or serve a merged model",
};

/**
 * vLLM's loader (vllm/lora/peft_helper.py, PEFTHelper): from_dict requires r, lora_alpha, target_modules;
 * _validate_features refuses modules_to_save ("vLLM only supports modules_to_save being None.") and use_dora
 * ("vLLM does not yet support DoRA."); validate_legal refuses bias other than "none" ("Adapter bias is not
 * supported.") and a rank above max_lora_rank (the largest of r and rank_pattern in newer versions).
 */
const VLLM: ConfigRule[] = [
  loraOnly,
  required("vLLM", "r"),
  required("vLLM", "lora_alpha"),
  required("vLLM", "target_modules"),
  {
    setting: "modules_to_save",
    severity: "error",
    breaks: (c) => listed(c.modules_to_save),
    message: "vLLM refuses adapters with modules_to_save (it serves LoRA weights only)",
    fix: "train with lora.modules_to_save: [] — or serve a merged model (pipeline export --merge)",
  },
  {
    setting: "use_dora",
    severity: "error",
    breaks: (c) => (c.use_dora === true ? true : undefined),
    message: "vLLM refuses DoRA adapters",
    fix: "train a plain LoRA adapter, or serve a merged model (pipeline export --merge)",
  },
  {
    setting: "bias",
    severity: "error",
    breaks: (c) => notNone(c.bias),
    message: 'vLLM refuses adapters with bias other than "none"',
    fix: "train with lora.bias: none — or serve a merged model (pipeline export --merge)",
  },
  {
    setting: "r",
    severity: "error",
    breaks: (c) => (maxRank(c) > 512 ? maxRank(c) : undefined),
    message: "vLLM's largest max_lora_rank is 512",
    fix: "train with lora.r ≤ 512, or serve a merged model (pipeline export --merge)",
  },
  {
    setting: "r",
    severity: "warning",
    breaks: (c) => (maxRank(c) > VLLM_DEFAULT_MAX_LORA_RANK && maxRank(c) <= 512 ? maxRank(c) : undefined),
    message: `vLLM refuses ranks above max_lora_rank, ${VLLM_DEFAULT_MAX_LORA_RANK} unless set`,
    fix: `serve with vllm serve … --enable-lora --max-lora-rank N, N ≥ r and one of ${VLLM_MAX_LORA_RANKS.filter((r) => r > VLLM_DEFAULT_MAX_LORA_RANK).join(", ")}`,
  },
];

// TGI's multi-LoRA code is LoRAX's (server/text_generation_server/adapters/lora.py, "Origin:
// predibase/lorax"). LoraConfig.load keeps only r, target_modules, fan_in_fan_out, lora_alpha and
// use_rslora; map_weights_for_model takes only each module's lora_A/lora_B weights. Anything else an
// adapter carries is dropped without an error: the served model is not the trained one.
const dropped = (setting: ConfigRule["setting"], what: string, breaks: ConfigRule["breaks"]): ConfigRule => ({
  setting,
  severity: "error",
  breaks,
  message: `TGI loads only lora_A/lora_B weights: the ${what} would be dropped without an error, so TGI would serve another model than the one trained`,
  fix: "train a plain LoRA adapter (lora.bias: none, no modules_to_save), or serve a merged model (pipeline export --merge)",
});

const TGI: ConfigRule[] = [
  loraOnly,
  required("TGI", "r"),
  required("TGI", "lora_alpha"),
  required("TGI", "target_modules"),
  dropped("bias", "trained biases", (c) => notNone(c.bias)),
  dropped("modules_to_save", "fully trained modules", (c) => listed(c.modules_to_save)),
  dropped("use_dora", "DoRA magnitudes", (c) => (c.use_dora === true ? true : undefined)),
  {
    // server/text_generation_server/utils/sgmv.py: MAX_RANK_CUSTOM = 128; BatchLoraWeights.can_vectorize
    // is false above it, and TGI falls back to a slow per-adapter loop.
    setting: "r",
    severity: "warning",
    breaks: (c) => (maxRank(c) > 128 ? maxRank(c) : undefined),
    message: "TGI's batched LoRA kernels take ranks up to 128 (per GPU shard); above that it serves slowly",
    fix: "train with lora.r ≤ 128 for fast multi-adapter serving",
  },
];

/** Plain peft loads any valid LoRA adapter; what can still fail there is checked on the files (check.ts). */
const PEFT: ConfigRule[] = [loraOnly, required("peft", "r"), required("peft", "target_modules")];

export const SERVING_RULES: Record<ServingTarget, ConfigRule[]> = { vllm: VLLM, tgi: TGI, peft: PEFT };

/**
 * TGI's adapter layers for Llama-family models (LoRAX docs/models/adapters/lora.md, "Llama", "Mistral",
 * "Qwen2": q/k/v/o_proj, gate/up/down_proj, lm_head); LoRA weights on any other module are ignored.
 */
export const TGI_LLAMA_MODULES = [
  "q_proj",
  "k_proj",
  "v_proj",
  "o_proj",
  "gate_proj",
  "up_proj",
  "down_proj",
  "lm_head",
];

export function configFindings(config: AdapterConfigJson, target: ServingTarget): Finding[] {
  const findings: Finding[] = [];
  for (const rule of SERVING_RULES[target]) {
    const value = rule.breaks(config);
    if (value === undefined) continue;
    findings.push({
      severity: rule.severity,
      setting: rule.setting,
      value: typeof value === "string" ? value : JSON.stringify(value),
      message: rule.message,
      fix: rule.fix,
    });
  }
  return findings;
}

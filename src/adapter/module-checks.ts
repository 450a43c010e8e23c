import { ADAPTER_WEIGHTS, type AdapterFiles } from "./adapter-files.js";
import type { Finding, ServingTarget } from "./findings.js";
import type { TensorShapes } from "./safetensors-header.js";
import { TGI_LLAMA_MODULES } from "./serving-rules.js";

/** A base model as the checks see it: where it is, its weights' shapes, its architecture. */
export interface BaseModel {
  dir: string;
  shapes: TensorShapes;
  architecture?: string;
}

interface LoraPair {
  A?: number[];
  B?: number[];
}

// peft saves `base_model.model.<module path>.lora_A.weight` (the adapter's name stripped).
const LORA_WEIGHT = /^base_model\.model\.(.+)\.lora_([AB])\.weight$/;

export function loraModules(weights: TensorShapes): Map<string, LoraPair> {
  const modules = new Map<string, LoraPair>();
  for (const [name, shape] of weights) {
    const match = LORA_WEIGHT.exec(name);
    if (!match) continue;
    const pair = modules.get(match[1]!) ?? {};
    pair[match[2] as "A" | "B"] = shape;
    modules.set(match[1]!, pair);
  }
  return modules;
}

/** peft's rule: a list entry names a module by its full path or its last segments; a string is a regex. */
export function targets(targetModules: unknown, path: string, name?: string): boolean {
  if (targetModules === "all-linear") return !path.endsWith("lm_head");
  if (typeof targetModules === "string") return new RegExp(`^(?:${targetModules})$`).test(path);
  if (!Array.isArray(targetModules)) return false;
  const names = name === undefined ? (targetModules as string[]) : [name];
  return names.some((t) => path === t || path.endsWith(`.${t}`));
}

/** The modules of a base model that LoRA can adapt: those with a 2-D `.weight`. */
function baseModules(shapes: TensorShapes): Map<string, number[]> {
  const modules = new Map<string, number[]>();
  for (const [name, shape] of shapes)
    if (name.endsWith(".weight") && shape.length === 2) modules.set(name.slice(0, -".weight".length), shape);
  return modules;
}

/** The weights file against target_modules, r and (when known) the base model's modules and shapes. */
export function moduleFindings(adapter: AdapterFiles, target: ServingTarget, base?: BaseModel): Finding[] {
  if (!adapter.weights) {
    return [
      error(
        ADAPTER_WEIGHTS,
        "missing",
        "no adapter weights in safetensors form",
        "save the adapter with peft's save_pretrained (safe_serialization, the default)",
      ),
    ];
  }
  const lora = loraModules(adapter.weights);
  if (lora.size === 0) {
    return [
      error(
        ADAPTER_WEIGHTS,
        `${adapter.weights.size} tensor(s), none a LoRA weight`,
        "the adapter names no adapted module: served, it is the base model",
        "check lora.target_modules against the base model's module names and train again",
      ),
    ];
  }
  const findings = [...pairFindings(adapter, lora), ...targetFindings(adapter, lora, base)];
  if (target === "tgi" && base?.architecture && /Llama|Mistral|Qwen2/.test(base.architecture))
    findings.push(...tgiModules(lora));
  return findings;
}

function pairFindings({ config }: AdapterFiles, lora: Map<string, LoraPair>): Finding[] {
  const findings: Finding[] = [];
  for (const [path, { A, B }] of lora) {
    if (!A || !B) {
      findings.push(
        error(
          ADAPTER_WEIGHTS,
          path,
          `has lora_${A ? "A" : "B"} but no lora_${A ? "B" : "A"}`,
          "save the adapter again; the file is incomplete",
        ),
      );
      continue;
    }
    if (!targets(config.target_modules, path))
      findings.push(
        error(
          ADAPTER_WEIGHTS,
          path,
          "weights for a module target_modules does not name: engines that follow target_modules drop them",
          "save the adapter with peft's save_pretrained, which writes both from the same model",
        ),
      );
    const r = rankOf(config, path);
    if (A[0] !== r || B[1] !== r)
      findings.push(
        error(
          ADAPTER_WEIGHTS,
          `${path} lora_A [${A.join(", ")}], lora_B [${B.join(", ")}]`,
          `shapes do not match rank ${r} from adapter_config.json`,
          "keep adapter_config.json and adapter_model.safetensors from the same save",
        ),
      );
  }
  return findings;
}

/** peft's rank_pattern: a key names a module as target_modules entries do; otherwise r. */
function rankOf(config: AdapterFiles["config"], path: string): number {
  const pattern = (
    config.rank_pattern && typeof config.rank_pattern === "object" ? config.rank_pattern : {}
  ) as Record<string, unknown>;
  for (const [key, rank] of Object.entries(pattern))
    if (typeof rank === "number" && (path === key || path.endsWith(`.${key}`))) return rank;
  return typeof config.r === "number" ? config.r : NaN;
}

function targetFindings({ config }: AdapterFiles, lora: Map<string, LoraPair>, base?: BaseModel): Finding[] {
  const findings: Finding[] = [];
  const names = Array.isArray(config.target_modules) ? (config.target_modules as string[]) : [];
  const modules = base ? baseModules(base.shapes) : undefined;
  for (const name of names) {
    const inBase = modules
      ? [...modules.keys()].filter((path) => targets(config.target_modules, path, name))
      : undefined;
    if (inBase?.length === 0) {
      findings.push(
        error(
          "target_modules",
          name,
          `the base model (${base!.dir}) has no module named ${name}`,
          "name modules the base has (its weights' names, e.g. q_proj) in lora.target_modules, and train again",
        ),
      );
    } else if (![...lora.keys()].some((path) => targets(config.target_modules, path, name))) {
      findings.push(
        error(
          "target_modules",
          name,
          "named, but the adapter has no weights for it: served without it",
          "train again; save with peft's save_pretrained",
        ),
      );
    }
  }
  if (!modules) return findings;
  for (const [path, { A, B }] of lora) {
    const shape = modules.get(path);
    if (!shape)
      findings.push(
        error(
          ADAPTER_WEIGHTS,
          path,
          `the base model (${base!.dir}) has no such module: the adapter was trained on another base`,
          "check the base with --base <dir>, or train on this base",
        ),
      );
    else if (A && B && (A[1] !== shape[1] || B[0] !== shape[0]))
      findings.push(
        error(
          ADAPTER_WEIGHTS,
          path,
          `lora_A [${A.join(", ")}] and lora_B [${B.join(", ")}] do not fit the base's [${shape.join(", ")}]: trained on another base`,
          "check the base with --base <dir>, or train on this base",
        ),
      );
  }
  return findings;
}

function tgiModules(lora: Map<string, LoraPair>): Finding[] {
  const ignored = [...new Set([...lora.keys()].map((path) => path.split(".").at(-1)!))].filter(
    (m) => !TGI_LLAMA_MODULES.includes(m),
  );
  if (ignored.length === 0) return [];
  return [
    error(
      "target_modules",
      ignored.join(", "),
      `TGI adapts only ${TGI_LLAMA_MODULES.join(", ")} on Llama-family models and ignores the rest: served without them`,
      `train with lora.target_modules among ${TGI_LLAMA_MODULES.join(", ")}`,
    ),
  ];
}

const error = (setting: string, value: string, message: string, fix: string): Finding => ({
  severity: "error",
  setting,
  value,
  message,
  fix,
});

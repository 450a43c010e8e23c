import { configJsonSchema } from "./schema.js";

interface Node {
  properties?: Record<string, Node>;
  items?: Node;
  oneOf?: Node[];
  anyOf?: Node[];
}

let cached: Node | undefined;

/** The keys a mapping at `path` may have, read from the generated JSON Schema (every variant of a union). */
export function allowedKeys(path: readonly PropertyKey[]): string[] {
  cached ??= configJsonSchema() as Node;
  let nodes: Node[] = [cached];
  for (const key of path) {
    nodes = nodes
      .flatMap(variants)
      .map((node) => (typeof key === "number" ? node.items : node.properties?.[String(key)]))
      .filter((node): node is Node => node !== undefined);
  }
  const keys = nodes.flatMap(variants).flatMap((node) => Object.keys(node.properties ?? {}));
  return [...new Set(keys)].filter((key) => key !== "extends" || path.length === 0);
}

function variants(node: Node): Node[] {
  return [node, ...(node.oneOf ?? []), ...(node.anyOf ?? [])];
}

// Names other trainers use (Axolotl, LLaMA-Factory, transformers) for keys this schema spells differently.
const ALIASES: Record<string, string> = {
  model_name_or_path: "base_model",
  lora_rank: "r",
  lora_target: "target_modules",
  lora_target_linear: "target_modules",
  num_train_epochs: "epochs",
  per_device_train_batch_size: "micro_batch_size",
  lr_scheduler_type: "lr_scheduler",
  sequence_len: "max_seq_len",
  cutoff_len: "max_seq_len",
  sample_packing: "packing",
  val_set_size: "eval_split",
  val_size: "eval_split",
  type: "format",
  output_dir: "runs_dir",
  stage: "method",
};

/** The allowed key a typo (or another tool's name for it) most likely meant, if one is close enough. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const alias = ALIASES[key] ?? allowed.find((candidate) => key.endsWith(`_${candidate}`));
  if (alias && allowed.includes(alias)) return alias;
  let best: { key: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

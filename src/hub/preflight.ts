import { downloadFile, parseSafetensorsMetadata } from "@huggingface/hub";
import { UsageError } from "../errors/index.js";
import type { HubAccess } from "./env.js";
import { estimateMemory, judgeFit, shapeOf, type MemoryEstimate, type MemoryPlan } from "./memory.js";
import type { ResolvedModel } from "./resolve.js";

export interface GpuInfo {
  name: string;
  memoryMiB: number | null;
}

export interface ModelFacts {
  parameters: number;
  /** The dtype most parameters are stored in (e.g. BF16). */
  dtype: string;
  estimate?: MemoryEstimate;
}

/**
 * Parameter count and dtype from the safetensors headers (read with ranged requests, not the weights),
 * and the shape from config.json → a memory estimate for this run. Undefined when the repo has no
 * safetensors (nothing to read a count from without downloading).
 */
export async function modelFacts(
  model: ResolvedModel,
  access: HubAccess,
  plan?: MemoryPlan,
): Promise<ModelFacts | undefined> {
  if (!model.files.some((file) => file.path.endsWith(".safetensors") && !file.path.includes("/")))
    return undefined;
  const meta = await parseSafetensorsMetadata({
    ...access,
    repo: model.ref.id,
    revision: model.sha,
    computeParametersCount: true,
  });
  const parameters =
    meta.parameterTotal ?? Object.values(meta.parameterCount).reduce((a, b) => a + (b ?? 0), 0);
  const dtype =
    Object.entries(meta.parameterCount).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]?.[0] ?? "unknown";
  if (!plan) return { parameters, dtype };
  const config = await downloadFile({
    ...access,
    repo: model.ref.id,
    path: "config.json",
    revision: model.sha,
  });
  const shape = shapeOf(JSON.parse((await config?.text()) ?? "{}") as Record<string, unknown>, parameters);
  return { parameters, dtype, estimate: estimateMemory(shape, plan) };
}

const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/**
 * The estimate against the smallest GPU found: refuses (exit 2, with the numbers and what to change) when
 * the run's setting clearly cannot fit; returns a warning when it is close; else nothing.
 */
export function checkFit(
  estimate: MemoryEstimate,
  checkpointing: boolean,
  gpus: GpuInfo[],
  where: string,
): string | undefined {
  const sized = gpus.filter((gpu): gpu is GpuInfo & { memoryMiB: number } => gpu.memoryMiB !== null);
  if (sized.length === 0) return undefined;
  const gpu = sized.reduce((a, b) => (a.memoryMiB <= b.memoryMiB ? a : b));
  const capacity = gpu.memoryMiB * 1024 ** 2;
  const needed = checkpointing ? estimate.total.checkpointed : estimate.total.plain;
  const numbers =
    `about ${gib(needed)} (weights ${gib(estimate.weights)}, LoRA + optimizer ${gib(estimate.lora)}, ` +
    `activations ${gib(checkpointing ? estimate.activations.checkpointed : estimate.activations.plain)}) ` +
    `on ${gpu.name} with ${gib(capacity)}`;
  const fit = judgeFit(needed, capacity);
  if (fit === "fits") return undefined;
  if (fit === "close") return `GPU memory is tight: this run needs ${numbers} (${where})`;
  const fixes = [
    ...(!checkpointing && judgeFit(estimate.total.checkpointed, capacity) !== "too-big"
      ? [`training.gradient_checkpointing: true (about ${gib(estimate.total.checkpointed)})`]
      : []),
    "a smaller training.micro_batch_size (with more gradient_accumulation_steps) or max_seq_len",
    ...(estimate.weights * 1.1 > capacity ? ["a smaller base model: the weights alone do not fit"] : []),
    `a GPU with at least ${gib(needed)}`,
  ];
  throw new UsageError("gpu-memory", `this run will not fit in GPU memory: it needs ${numbers} (${where})`, {
    hint: `change one of: ${fixes.join("; ")}`,
  });
}

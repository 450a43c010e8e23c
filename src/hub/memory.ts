/** The model's shape, from its config.json, and its parameter count, from its safetensors headers. */
export interface ModelShape {
  parameters: number;
  hidden: number;
  layers: number;
  intermediate: number;
  heads: number;
  kvHeads: number;
  vocab: number;
}

/** The parts of a run config that decide GPU memory. */
export interface MemoryPlan {
  /** Bytes per weight in the run's precision (bf16/fp16: 2, fp32: 4). */
  weightBytes: number;
  microBatch: number;
  seqLen: number;
  loraRank: number;
  /** Module names LoRA adapts; "all-linear": every projection of every layer. */
  targets: "all-linear" | string[];
  /** Liger's fused loss never makes the tokens × vocab logits. */
  fusedLoss: boolean;
  /** training.strategy fsdp: the processes the weights are sharded over (absent or 1: each GPU holds all). */
  shards?: number;
}

export interface MemoryEstimate {
  weights: number;
  lora: number;
  /** Activations kept for the backward pass, without and with gradient checkpointing. */
  activations: { plain: number; checkpointed: number };
  /** Everything, without and with gradient checkpointing (CUDA context and allocator slack included). */
  total: { plain: number; checkpointed: number };
}

const GiB = 1024 ** 3;

/**
 * A first-order estimate of one GPU's memory for LoRA training (not a guarantee: kernels, fragmentation
 * and sequence lengths vary): frozen weights in the run's precision; LoRA weights with their gradients and
 * AdamW's two moments in fp32 (16 bytes each); activations per layer ≈ 34·b·s·h bytes with an attention
 * kernel that keeps no s² matrix (Korthikanti et al. 2022), or only each layer's 2-byte input with
 * checkpointing plus one layer recomputed; the fp32 logits and their gradient unless the loss is fused;
 * 1 GiB of CUDA context and 10 % allocator slack. Sharded (fsdp over n GPUs), a GPU holds 1/n of the weights
 * and of LoRA's state, plus two decoder layers gathered whole (the one running and the one prefetched).
 */
export function estimateMemory(shape: ModelShape, plan: MemoryPlan): MemoryEstimate {
  const tokens = plan.microBatch * plan.seqLen;
  const shards = plan.shards ?? 1;
  const full = shape.parameters * plan.weightBytes;
  const gathered = shards > 1 ? (2 * full) / Math.max(1, shape.layers) : 0;
  const weights = full / shards + gathered;
  const lora = (loraParameters(shape, plan) * 16) / shards;
  const logits = plan.fusedLoss ? 0 : tokens * shape.vocab * 8;
  const perLayer = 34 * tokens * shape.hidden;
  const plainActs = shape.layers * perLayer + logits;
  const checkpointed = shape.layers * tokens * shape.hidden * 2 + perLayer + logits;
  const total = (acts: number) => (weights + lora + acts) * 1.1 + GiB;
  return {
    weights,
    lora,
    activations: { plain: plainActs, checkpointed },
    total: { plain: total(plainActs), checkpointed: total(checkpointed) },
  };
}

/** r·(in + out) per adapted projection per layer, for the Llama-style projections. */
export function loraParameters(shape: ModelShape, plan: Pick<MemoryPlan, "loraRank" | "targets">): number {
  const h = shape.hidden;
  const kv = (h / shape.heads) * shape.kvHeads;
  const i = shape.intermediate;
  const projections: Record<string, number> = {
    q_proj: h + h,
    k_proj: h + kv,
    v_proj: h + kv,
    o_proj: h + h,
    gate_proj: h + i,
    up_proj: h + i,
    down_proj: i + h,
  };
  const names = plan.targets === "all-linear" ? Object.keys(projections) : plan.targets;
  const perLayer = names.reduce((sum, name) => sum + (projections[name] ?? 2 * h), 0);
  return plan.loraRank * perLayer * shape.layers;
}

export type Fit = "fits" | "close" | "too-big";

/** Over the GPU's memory: too big; within 15 % of it: close (it may still run out). */
export function judgeFit(needed: number, gpuBytes: number): Fit {
  if (needed > gpuBytes) return "too-big";
  return needed > gpuBytes * 0.85 ? "close" : "fits";
}

/** A model's config.json → its shape (Llama-style names, with the common aliases). */
export function shapeOf(config: Record<string, unknown>, parameters: number): ModelShape {
  const text = (config.text_config as Record<string, unknown> | undefined) ?? config;
  const num = (...keys: string[]) => {
    for (const key of keys) if (typeof text[key] === "number") return text[key];
    return undefined;
  };
  const hidden = num("hidden_size", "n_embd", "d_model") ?? 0;
  const heads = num("num_attention_heads", "n_head") ?? 1;
  return {
    parameters,
    hidden,
    layers: num("num_hidden_layers", "n_layer", "num_layers") ?? 0,
    intermediate: num("intermediate_size", "n_inner") ?? 4 * hidden,
    heads,
    kvHeads: num("num_key_value_heads") ?? heads,
    vocab: num("vocab_size") ?? 0,
  };
}

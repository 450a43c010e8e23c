import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunConfig } from "../config/index.js";
import { estimateMemory, judgeFit, loraParameters, shapeOf } from "./memory.js";
import { memoryPlan } from "./run-model.js";

// Llama-3.1-8B's config.json (the shape fields); 8.03 B parameters from its safetensors headers.
const llama8b = shapeOf(
  JSON.parse(
    readFileSync(join(import.meta.dirname, "../../test/fixtures/hub/llama-3.1-8b-config.json"), "utf8"),
  ),
  8_030_261_248,
);
const GiB = 1024 ** 3;
const bf16 = { weightBytes: 2, loraRank: 16, targets: "all-linear" as const, fusedLoss: false };

describe("estimateMemory", () => {
  it("counts LoRA parameters as PEFT does for all-linear on Llama-3.1-8B at r=16", () => {
    // PEFT reports 41,943,040 trainable parameters for this model and rank.
    expect(loraParameters(llama8b, { loraRank: 16, targets: "all-linear" })).toBe(41_943_040);
    expect(loraParameters(llama8b, { loraRank: 16, targets: ["q_proj", "v_proj"] })).toBe(6_815_744);
  });

  it("puts an 8B bf16 LoRA run between 16 GB of weights and an 80 GB GPU, and checkpointing far lower", () => {
    const plan = { ...bf16, microBatch: 4, seqLen: 2048 };
    const estimate = estimateMemory(llama8b, plan);
    expect(estimate.weights / GiB).toBeCloseTo(14.96, 1);
    expect(estimate.total.plain / GiB).toBeGreaterThan(40);
    expect(estimate.total.checkpointed / GiB).toBeLessThan(estimate.total.plain / GiB / 1.5);
    expect(judgeFit(estimate.total.checkpointed, 80 * GiB)).toBe("fits");
    expect(judgeFit(estimate.total.plain, 24 * GiB)).toBe("too-big");
    expect(judgeFit(70 * GiB, 80 * GiB)).toBe("close");
  });

  it("drops the logits with a fused loss", () => {
    const plan = { ...bf16, microBatch: 8, seqLen: 4096 };
    const fused = estimateMemory(llama8b, { ...plan, fusedLoss: true });
    const plain = estimateMemory(llama8b, plan);
    // 8 × 4096 tokens × 128,256 logits × 8 bytes (fp32 logits and their gradient) × 1.1 slack.
    expect((plain.total.checkpointed - fused.total.checkpointed) / GiB).toBeCloseTo(
      (8 * 4096 * 128256 * 8 * 1.1) / GiB,
      3,
    );
  });
});

describe("estimateMemory with fsdp", () => {
  it("gives each of n GPUs 1/n of the weights and LoRA state, plus two decoder layers gathered whole", () => {
    const plan = { ...bf16, microBatch: 4, seqLen: 2048 };
    const whole = estimateMemory(llama8b, plan);
    const sharded = estimateMemory(llama8b, { ...plan, shards: 4 });
    const twoLayers = (2 * whole.weights) / llama8b.layers;
    expect(sharded.weights).toBeCloseTo(whole.weights / 4 + twoLayers, 0);
    expect(sharded.lora).toBeCloseTo(whole.lora / 4, 0);
    expect(sharded.activations).toEqual(whole.activations); // each GPU runs its own micro-batches whole
    expect(estimateMemory(llama8b, { ...plan, shards: 1 })).toEqual(whole);
    // 70B-class weights (≈ 131 GiB in bf16) fit no 80 GiB GPU alone, but do as a quarter each over 4
    const big = { ...llama8b, parameters: 70.6e9, layers: 80 };
    expect(judgeFit(estimateMemory(big, plan).weights, 80 * GiB)).toBe("too-big");
    expect(judgeFit(estimateMemory(big, { ...plan, shards: 4 }).total.checkpointed, 80 * GiB)).toBe("fits");
  });
});

describe("memoryPlan", () => {
  it("shards the weights over the processes with fsdp, and not with ddp", () => {
    const config = (strategy: string, processes: number) =>
      RunConfig.parse({
        base_model: "org/model",
        datasets: [{ path: "/data/train.jsonl" }],
        training: { strategy },
        runtime: { type: "local", processes },
      });
    expect(memoryPlan(config("fsdp", 4)).shards).toBe(4);
    expect(memoryPlan(config("ddp", 4)).shards).toBe(1);
  });
});

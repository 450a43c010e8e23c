import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load.js";
import { previewTrainSpec } from "./render.js";

const dir = new URL("../../configs/", import.meta.url);
const files = readdirSync(dir).filter((name) => name.endsWith(".yaml"));

describe("configs/", () => {
  it("ships the quickstart and the GPU LoRA config", () => {
    expect(files).toEqual(expect.arrayContaining(["quickstart.yaml", "lora.yaml"]));
  });

  it.each(files)("%s loads, validates and renders", async (name) => {
    const { config } = await loadConfig(new URL(name, dir).pathname, { env: {} });
    expect(previewTrainSpec(config).version).toBe(1);
  });

  it("keeps the quickstart on CPU with the seed's LoRA settings", async () => {
    const { config } = await loadConfig(new URL("quickstart.yaml", dir).pathname, {
      env: {},
    });
    expect(config).toMatchObject({ base_model: "builtin:tiny", device: "cpu", runtime: { type: "local" } });
    expect(config.lora).toMatchObject({ r: 16, alpha: 32, dropout: 0.05, target_modules: "all-linear" });
    expect(config.training).toMatchObject({ precision: "fp32", max_seq_len: 64, packing: false });
  });

  it("keeps lora.yaml at the seed's GPU defaults", async () => {
    const { config } = await loadConfig(new URL("lora.yaml", dir).pathname, { env: {} });
    expect(config.lora).toMatchObject({
      r: 16,
      alpha: 32,
      dropout: 0.05,
      target_modules: ["q_proj", "k_proj", "v_proj", "o_proj"],
    });
    expect(config.training).toMatchObject({
      epochs: 3,
      micro_batch_size: 4,
      gradient_accumulation_steps: 4,
      learning_rate: 2e-4,
      precision: "bf16",
    });
  });
});

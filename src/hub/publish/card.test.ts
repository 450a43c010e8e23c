import { describe, expect, it } from "vitest";
import type { Report } from "../../report/index.js";
import { modelCard, type CardInputs } from "./card.js";

const training = { steps: 6, epochs: 0.75, final_train_loss: 0.1 };
const inputs = (init?: { source: string; sha256: Record<string, string> }): CardInputs => ({
  repo: "alice/tiny-dpo",
  report: {
    run_id: "dpo-1",
    config: { file: "run.yaml", hash: "a".repeat(64) },
    base_model: "org/model",
    datasets: [],
    suites: [],
    gates: [],
    training: { ...training, ...(init && { init_adapter: init }) },
  } as unknown as Report,
  baseModel: "org/model",
  license: undefined,
  datasets: [],
  dataHashes: { train: "b".repeat(64), eval: null },
  config: {
    lora: { r: 4, alpha: 16, dropout: 0, target_modules: ["q_proj"] },
    training: {},
    templates: ["chatml"],
  },
});

describe("the model card of a run trained on top of another adapter", () => {
  it("names the adapter it started from and its sha256; a run without one has no such row", () => {
    const card = modelCard(
      inputs({ source: "sft-1", sha256: { "adapter_model.safetensors": "c".repeat(64) } }),
    );
    expect(card).toContain(
      "| trained on top of | adapter `sft-1` (adapter_model.safetensors sha256 `cccccccccccc`) |",
    );
    expect(modelCard(inputs())).not.toContain("trained on top of");
  });
});

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunConfig } from "../../config/index.js";
import { adapterLora } from "./adapter-config.js";
import { findInitAdapter, sameBase } from "./find.js";

const tmp = () => mkdtempSync(join(tmpdir(), "init-adapter-"));

function adapterDir(config: Record<string, unknown>): string {
  const dir = tmp();
  const saved = { peft_type: "LORA", r: 4, lora_alpha: 8, target_modules: ["v_proj", "q_proj"], ...config };
  writeFileSync(join(dir, "adapter_config.json"), JSON.stringify(saved));
  writeFileSync(join(dir, "adapter_model.safetensors"), "weights");
  return dir;
}

const configWith = (init: string, extra: Record<string, unknown> = {}) =>
  RunConfig.parse({
    base_model: "org/model",
    datasets: [{ path: "/data/train.jsonl" }],
    training: { init_adapter: init, ...extra },
  });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("accepted"),
    (error: Error & { code: string; exitCode: number }) => error,
  );

describe("training.init_adapter", () => {
  it("refuses a run id that is not in the runs directory, naming the setting and where it looked", async () => {
    const error = await refusal(findInitAdapter(configWith("nope"), tmp()));
    expect(error).toMatchObject({ code: "init-adapter-not-found", exitCode: 2 });
    expect(error.message).toMatch(/^training\.init_adapter: no run "nope" in /);
  });

  it("refuses a missing directory and one without adapter files", async () => {
    const missing = await refusal(findInitAdapter(configWith("/no/such/adapter"), tmp()));
    expect(missing.message).toBe("training.init_adapter: no directory /no/such/adapter");
    const empty = tmp();
    mkdirSync(join(empty, "x"));
    const notOne = await refusal(findInitAdapter(configWith(empty), tmp()));
    expect(notOne).toMatchObject({ code: "init-adapter-not-adapter", exitCode: 2 });
    expect(notOne.message).toMatch(
      /is not a LoRA adapter: it has no adapter_config\.json, adapter_model\.safetensors/,
    );
  });

  it("refuses an adapter of another base model, naming both", async () => {
    const dir = adapterDir({ base_model_name_or_path: "org/other" });
    const error = await refusal(findInitAdapter(configWith(dir), tmp()));
    expect(error).toMatchObject({ code: "init-adapter-base-mismatch", exitCode: 2 });
    expect(error.message).toMatch(/was trained on org\/other, but base_model is org\/model/);
  });

  it("refuses an adapter_config that is not LoRA's", async () => {
    const error = await refusal(findInitAdapter(configWith(adapterDir({ peft_type: "IA3" })), tmp()));
    expect(error.message).toMatch(/adapter_config\.json › peft_type: peft_type is not LORA/);
  });

  it("finds an adapter of the same base (a hub snapshot path counts as its id)", async () => {
    const snapshot = "/hf/hub/models--org--model/snapshots/abc";
    const dir = adapterDir({ base_model_name_or_path: snapshot });
    expect(await findInitAdapter(configWith(dir), tmp())).toMatchObject({ source: dir, dir });
    expect(sameBase("org/model", snapshot)).toBe(true);
    expect(sameBase("org/model", "/hf/hub/models--org--other/snapshots/abc")).toBe(false);
    expect(sameBase("/models/a", "/models/a/")).toBe(true);
  });

  it("takes rank, alpha and modules from the adapter and says what changed; dpo trains without dropout", () => {
    const adapter = {
      peft_type: "LORA" as const,
      r: 4,
      lora_alpha: 8,
      target_modules: ["q_proj", "v_proj"],
      bias: "none" as const,
      modules_to_save: null,
    };
    const { lora, notes } = adapterLora(configWith("x", { method: "dpo" }), adapter);
    expect(lora).toEqual({
      r: 4,
      alpha: 8,
      dropout: 0,
      target_modules: ["q_proj", "v_proj"],
      bias: "none",
      modules_to_save: [],
    });
    expect(notes).toEqual([
      "lora.r 16 → 4 (the adapter's)",
      "lora.alpha 32 → 8 (the adapter's)",
      "lora.target_modules k_proj,o_proj,q_proj,v_proj → q_proj,v_proj (the adapter's)",
      "lora.dropout 0.05 → 0 (dpo starts as its reference)",
    ]);
    expect(adapterLora(configWith("x"), adapter).lora.dropout).toBe(0.05);
  });
});

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tinyModelDir } from "../launch/index.js";
import { readAdapter } from "./adapter-files.js";
import { checkAdapter } from "./check.js";
import { failsTarget, type ServingTarget } from "./findings.js";
import { loadBase } from "./locate.js";

// Real adapters saved by peft on the built-in tiny model (test/fixtures/adapters/make_adapters.py).
const fixtures = join(import.meta.dirname, "../../test/fixtures/adapters");

async function check(name: string, target: ServingTarget, withBase = true) {
  const adapter = await readAdapter(join(fixtures, name));
  const base = withBase ? await loadBase([tinyModelDir]) : undefined;
  const findings = checkAdapter(adapter, target, base);
  return {
    findings,
    fails: failsTarget(findings),
    settings: findings.map((f) => `${f.severity} ${f.setting}`),
  };
}

describe("adapter check: the serving engines' rules on real peft adapters", () => {
  it.each(["vllm", "tgi", "peft"] as const)(
    "a plain LoRA adapter passes %s with nothing to say",
    async (target) => {
      expect(await check("plain", target)).toMatchObject({ findings: [], fails: false });
    },
  );

  it("vLLM and TGI refuse trained biases and modules_to_save; plain peft loads them", async () => {
    for (const target of ["vllm", "tgi"] as const) {
      const { fails, settings } = await check("bias-and-saved-head", target);
      expect(fails).toBe(true);
      expect(settings).toEqual(expect.arrayContaining(["error bias", "error modules_to_save"]));
    }
    expect((await check("bias-and-saved-head", "peft")).fails).toBe(false);
  });

  it("DoRA: vLLM refuses it, TGI would drop its magnitudes", async () => {
    expect((await check("dora", "vllm")).settings).toEqual(["error use_dora"]);
    const tgi = await check("dora", "tgi");
    expect(tgi.settings).toEqual(["error use_dora"]);
    expect(tgi.findings[0]!.message).toMatch(/dropped without an error/);
  });

  it("rank 32 passes vLLM with a warning naming --max-lora-rank (its default max is 16)", async () => {
    const { fails, findings } = await check("rank-32", "vllm");
    expect(fails).toBe(false);
    expect(findings).toEqual([expect.objectContaining({ severity: "warning", setting: "r", value: "32" })]);
    expect(findings[0]!.fix).toMatch(/--max-lora-rank/);
    expect((await check("rank-32", "tgi")).findings).toEqual([]);
  });

  it("an adapter whose weights name no module (a state_dict save) fails every target: it would serve the base", async () => {
    for (const target of ["vllm", "tgi", "peft"] as const) {
      const { fails, findings } = await check("state-dict-save", target);
      expect(fails).toBe(true);
      expect(findings[0]).toMatchObject({
        setting: "adapter_model.safetensors",
        message: expect.stringMatching(/base model/),
      });
    }
  });

  it("an adapter trained on another base fails on its shapes; without the base it is named unchecked", async () => {
    const { fails, findings } = await check("other-base", "peft");
    expect(fails).toBe(true);
    expect(findings).toHaveLength(4);
    expect(findings[0]!.message).toMatch(/do not fit the base's \[128, 128\]: trained on another base/);
    const unchecked = await check("other-base", "peft", false);
    expect(unchecked.fails).toBe(false);
    expect(unchecked.settings).toEqual(["warning base_model_name_or_path"]);
  });

  it("a target module the base lacks, and one named without weights, are each an error on target_modules", async () => {
    const adapter = await readAdapter(join(fixtures, "plain"));
    const base = await loadBase([tinyModelDir]);
    const edited = {
      ...adapter,
      config: { ...adapter.config, target_modules: ["q_proj", "v_proj", "k_proj", "qkv"] },
    };
    const findings = checkAdapter(edited, "peft", base);
    expect(findings.map((f) => `${f.setting} ${f.value}`)).toEqual([
      "target_modules k_proj",
      "target_modules qkv",
    ]);
    expect(findings[0]!.message).toMatch(/no weights for it/);
    expect(findings[1]!.message).toMatch(/has no module named qkv/);
  });

  it("TGI ignores LoRA weights outside the Llama adapter layers", async () => {
    const adapter = await readAdapter(join(fixtures, "plain"));
    const base = await loadBase([tinyModelDir]);
    const weights = new Map(adapter.weights);
    for (const [name, shape] of adapter.weights!) weights.set(name.replace("v_proj", "rotary_proj"), shape);
    const findings = checkAdapter({ ...adapter, weights }, "tgi", base);
    expect(findings.some((f) => f.setting === "target_modules" && f.value === "rotary_proj")).toBe(true);
  });
});

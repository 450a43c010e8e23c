import { describe, expect, it } from "vitest";
import { RunConfig } from "../config/index.js";
import { servingWarnings, warningLine } from "./config-warnings.js";

const config = (lora: Record<string, unknown>) =>
  RunConfig.parse({ base_model: "builtin:tiny", datasets: [{ path: "d.jsonl" }], lora });

describe("serving warnings at config validate", () => {
  it("names nothing for the defaults", () => {
    expect(servingWarnings(config({}))).toEqual([]);
  });

  it("names each setting the serving engines would refuse, by its config key", () => {
    const lines = servingWarnings(config({ bias: "all", modules_to_save: ["lm_head"], r: 64 })).map(
      warningLine,
    );
    expect(lines).toContain(
      'warning: lora.bias: all — vLLM refuses adapters with bias other than "none" (train with lora.bias: none — or serve a merged model (pipeline export --merge))',
    );
    expect(lines.filter((l) => l.startsWith("warning: lora.modules_to_save"))).toHaveLength(2);
    expect(
      lines.some((l) => l.startsWith("warning: lora.r: 64 — vLLM refuses ranks above max_lora_rank")),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith("warning: lora.bias: all — TGI"))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { alpaca } from "./alpaca.js";
import { chatml } from "./chatml.js";
import { llama3 } from "./llama3.js";
import { formatRecord } from "./render-record.js";

describe("formatRecord", () => {
  it("trains a text record whole, eos included, after an untrained bos", () => {
    expect(formatRecord(alpaca(), { kind: "text", text: "Once upon a time." })).toEqual({
      segments: [{ text: "Once upon a time.</s>", train: true }],
    });
    expect(formatRecord(llama3(), { kind: "text", text: "Hi" })).toEqual({
      segments: [
        { text: "<|begin_of_text|>", train: false },
        { text: "Hi<|eot_id|>", train: true },
      ],
    });
  });

  it("writes a preference pair as prompt (generation prompt included) and the two completions", () => {
    const row = formatRecord(chatml(), {
      kind: "preference",
      prompt: [{ role: "user", content: "2+2?" }],
      chosen: [{ role: "assistant", content: "4" }],
      rejected: [{ role: "assistant", content: "5" }],
    });
    expect(row).toEqual({
      prompt: "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n",
      chosen: "4<|im_end|>\n",
      rejected: "5<|im_end|>\n",
    });
  });
});

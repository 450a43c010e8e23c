import { describe, expect, it } from "vitest";
import type { Message } from "../types.js";
import { chatml } from "./chatml.js";
import { modelTemplate } from "./jinja-template.js";
import { formatRecord } from "./render-record.js";

const user: Message = { role: "user", content: "2+2?" };
const thinking: Message = { role: "assistant", content: "4", reasoning: "Two and two." };

describe("reasoning, loss_weight 0 and KTO rows through a template", () => {
  it("writes reasoning as a <think> block in the built-in templates, or leaves it out", () => {
    const chat = { kind: "chat" as const, messages: [user, thinking] };
    expect(formatRecord(chatml(), chat)).toEqual({
      segments: [
        { text: "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n", train: false },
        { text: "<think>\nTwo and two.\n</think>\n\n4<|im_end|>", train: true },
        { text: "\n", train: false },
      ],
    });
    const dropped = formatRecord(chatml(), chat, "drop");
    expect(JSON.stringify(dropped)).not.toContain("think");
  });

  it("passes reasoning_content to a model's own template, and refuses a template that drops it", () => {
    const qwenLike = modelTemplate({
      text: "{% for m in messages %}<|im_start|>{{ m.role }}\n{% if m.reasoning_content %}<think>{{ m.reasoning_content }}</think>{% endif %}{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
      origin: "qwen-like",
      tokens: { bos: "", eos: "<|im_end|>" },
    });
    const row = formatRecord(qwenLike, { kind: "chat", messages: [user, thinking] });
    expect("segments" in row && row.segments.find((s) => s.train)?.text).toBe(
      "<think>Two and two.</think>4<|im_end|>",
    );
    const plain = modelTemplate({
      text: "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}",
      origin: "plain",
      tokens: { bos: "", eos: "" },
    });
    expect(() => formatRecord(plain, { kind: "chat", messages: [user, thinking] })).toThrow(
      /reasoning: drop/,
    );
    expect(() => formatRecord(plain, { kind: "chat", messages: [user, thinking] }, "drop")).not.toThrow();
  });

  it("keeps a loss_weight 0 assistant turn as context", () => {
    const row = formatRecord(chatml(), {
      kind: "chat",
      messages: [
        user,
        { role: "assistant", content: "5", train: false },
        user,
        { role: "assistant", content: "4" },
      ],
    });
    expect("segments" in row && row.segments.filter((s) => s.train).map((s) => s.text)).toEqual([
      "4<|im_end|>",
    ]);
  });

  it("writes a KTO row as prompt, completion and label; earlier answers stay in the prompt", () => {
    const row = formatRecord(chatml(), {
      kind: "feedback",
      prompt: [user, { role: "assistant", content: "5" }, user],
      completion: [{ role: "assistant", content: "4" }],
      label: false,
    });
    expect(row).toEqual({
      prompt:
        "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n5<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n",
      completion: "4<|im_end|>\n",
      label: false,
    });
  });
});

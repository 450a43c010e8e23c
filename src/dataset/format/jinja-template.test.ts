import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FailedError, UsageError } from "../../errors/index.js";
import type { Message } from "../types.js";
import { chatml } from "./chatml.js";
import { llama3 } from "./llama3.js";
import { loadTemplate } from "./load-template.js";
import { modelTemplate } from "./jinja-template.js";
import { chooseTemplate } from "./auto-template.js";

// The ChatML template from the transformers docs, and Meta's Llama 3 Instruct template, verbatim.
const CHATML_JINJA =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const LLAMA3_JINJA =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + " +
  "message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}" +
  "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}" +
  "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

async function modelDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "model-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const chat: Message[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello!" },
  { role: "user", content: "Bye" },
  { role: "assistant", content: "Bye!" },
];

describe("--template model", () => {
  it("reads chat_template.jinja (transformers 5) and trains exactly what the built-in chatml trains", async () => {
    const dir = await modelDir({
      "tokenizer_config.json": JSON.stringify({ eos_token: "<|im_end|>", bos_token: null }),
      "chat_template.jinja": CHATML_JINJA,
    });
    const template = await loadTemplate("model", { modelDir: dir });
    expect(template.tokens).toEqual({ bos: "", eos: "<|im_end|>" });
    expect(template.origin).toBe(join(dir, "chat_template.jinja"));
    expect(template.chat(chat)).toEqual(chatml().chat(chat));
  });

  it("reads an inline chat_template and AddedToken bos/eos (older models) and matches llama3", async () => {
    const dir = await modelDir({
      "tokenizer_config.json": JSON.stringify({
        bos_token: { content: "<|begin_of_text|>", lstrip: false },
        eos_token: "<|eot_id|>",
        chat_template: LLAMA3_JINJA,
      }),
    });
    const template = await loadTemplate("model", { modelDir: dir });
    expect(template.chat(chat)).toEqual(llama3().chat(chat));
    expect(template.chat(chat).filter((s) => s.train)).toEqual([
      { text: "Hello!<|eot_id|>", train: true },
      { text: "Bye!<|eot_id|>", train: true },
    ]);
  });

  it("picks the default of named templates", async () => {
    const dir = await modelDir({
      "tokenizer_config.json": JSON.stringify({
        eos_token: "<|im_end|>",
        chat_template: [
          { name: "tool_use", template: "tools!" },
          { name: "default", template: CHATML_JINJA },
        ],
      }),
    });
    expect((await loadTemplate("model", { modelDir: dir })).chat(chat)).toEqual(chatml().chat(chat));
  });

  it("passes tools and tool calls (arguments as objects) to the template", () => {
    const template = modelTemplate({
      origin: "fixture",
      tokens: { bos: "", eos: "</s>" },
      text:
        "{% if tools %}[tools:{% for t in tools %}{{ t.name }}{% endfor %}]{% endif %}" +
        "{% for m in messages %}<{{ m.role }}>{% if m.tool_calls %}" +
        "<call {{ m.tool_calls[0].function.name }} city={{ m.tool_calls[0].function.arguments.city }}>" +
        "{% else %}{{ m.content }}{% endif %}{% if m.role == 'assistant' %}</s>{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}<assistant>{% endif %}",
    });
    const segments = template.chat(
      [
        { role: "user", content: "Oslo?" },
        { role: "assistant", content: "", tool_calls: [{ name: "weather", arguments: '{"city":"Oslo"}' }] },
        { role: "tool", content: "3" },
        { role: "assistant", content: "3 °C" },
      ],
      '[{"name":"weather"}]',
    );
    expect(segments).toEqual([
      { text: "[tools:weather]<user>Oslo?<assistant>", train: false },
      { text: "<call weather city=Oslo></s>", train: true },
      { text: "<tool>3<assistant>", train: false },
      { text: "3 °C</s>", train: true },
    ]);
  });

  it("refuses a template that rewrites earlier turns, naming it", () => {
    const template = modelTemplate({
      origin: "models/odd/chat_template.jinja",
      tokens: { bos: "", eos: "</s>" },
      text: "{{ messages | length }}{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}",
    });
    expect(() => template.chat(chat)).toThrow(UsageError);
    expect(() => template.chat(chat)).toThrow(/models\/odd\/chat_template.jinja renders messages\[2\]/);
  });

  it("reports a template's raise_exception as a row failure", () => {
    const template = modelTemplate({
      origin: "strict.jinja",
      tokens: { bos: "", eos: "</s>" },
      text: "{% if messages[0].role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}x",
    });
    expect(() => template.chat(chat)).toThrow(FailedError);
    expect(() => template.chat(chat)).toThrow(/strict.jinja: System role not supported/);
  });
});

describe("loadTemplate errors", () => {
  it("rejects unknown names, model without --model, and model dirs without a chat template", async () => {
    await expect(loadTemplate("vicuna")).rejects.toMatchObject({ code: "unknown-template", exitCode: 2 });
    await expect(loadTemplate("model")).rejects.toMatchObject({ code: "model-required", exitCode: 2 });
    const bare = await modelDir({ "tokenizer_config.json": JSON.stringify({ eos_token: "</s>" }) });
    await expect(loadTemplate("model", { modelDir: bare })).rejects.toMatchObject({
      code: "no-chat-template",
    });
    const empty = await modelDir({});
    await expect(loadTemplate("chatml", { modelDir: empty })).rejects.toMatchObject({
      code: "model-dir-invalid",
    });
  });

  it("takes bos/eos from the model for built-in templates", async () => {
    const dir = await modelDir({
      "tokenizer_config.json": JSON.stringify({ bos_token: "<s>", eos_token: "</s>" }),
    });
    const template = await loadTemplate("alpaca", { modelDir: dir });
    expect(template.tokens).toEqual({ bos: "<s>", eos: "</s>" });
    expect(template.origin).toBe(join(dir, "tokenizer_config.json"));
    expect((await loadTemplate("chatml", { modelDir: dir })).stop).toEqual(["<|im_end|>"]);
  });
});

const tokenizerConfig = JSON.stringify({ eos_token: "<|im_end|>" });

describe("template: auto", () => {
  it("is the model's own chat template when it has one", async () => {
    const dir = await modelDir({
      "tokenizer_config.json": tokenizerConfig,
      "chat_template.jinja": CHATML_JINJA,
    });
    expect(await chooseTemplate(dir)).toEqual({
      name: "model",
      reason: `the base model's own chat template (${join(dir, "chat_template.jinja")})`,
    });
  });

  it("is chatml, saying why, for a model without one, one that cannot train, or no local model", async () => {
    const plain = await modelDir({ "tokenizer_config.json": tokenizerConfig });
    expect(await chooseTemplate(plain)).toEqual({
      name: "chatml",
      reason: `chatml: ${plain} has no chat template`,
    });
    const rewriting = await modelDir({
      "tokenizer_config.json": tokenizerConfig,
      "chat_template.jinja": "{{ messages | length }}{% for m in messages %}{{ m.content }}{% endfor %}",
    });
    const odd = await chooseTemplate(rewriting);
    expect(odd.name).toBe("chatml");
    expect(odd.reason).toMatch(/cannot mark trained spans/);
    expect((await chooseTemplate(undefined)).name).toBe("chatml");
  });
});

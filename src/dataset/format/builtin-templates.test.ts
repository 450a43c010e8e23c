import { describe, expect, it } from "vitest";
import type { Message } from "../types.js";
import { alpaca } from "./alpaca.js";
import { chatml } from "./chatml.js";
import { llama3 } from "./llama3.js";

const system: Message = { role: "system", content: "You are terse." };
const user = (content: string): Message => ({ role: "user", content });
const assistant = (content: string): Message => ({ role: "assistant", content });
const toolTurn: Message[] = [
  user("Weather in Oslo?"),
  { role: "assistant", content: "", tool_calls: [{ name: "weather", arguments: '{"city":"Oslo"}' }] },
  { role: "tool", content: '{"temp":3}', tool_call_id: "c1" },
  assistant("3 °C."),
];
const tools = '[{"name":"weather","parameters":{"type":"object"}}]';

describe("alpaca", () => {
  it("renders the Alpaca layout with the system text as preamble and trains response + eos", () => {
    expect(alpaca().chat([system, user("Name a colour."), assistant("Blue.")])).toEqual([
      { text: "You are terse.\n\n### Instruction:\nName a colour.\n\n### Response:\n", train: false },
      { text: "Blue.</s>", train: true },
    ]);
  });

  it("uses the stock preamble, repeats blocks for history and honours the given tokens", () => {
    const template = alpaca({ bos: "<s>", eos: "<|end|>" });
    expect(template.chat([user("Hi"), assistant("Hello"), user("More"), assistant("Sure")])).toEqual([
      {
        text:
          "<s>Below is an instruction that describes a task. Write a response that appropriately completes the request." +
          "\n\n### Instruction:\nHi\n\n### Response:\n",
        train: false,
      },
      { text: "Hello<|end|>", train: true },
      { text: "\n\n### Instruction:\nMore\n\n### Response:\n", train: false },
      { text: "Sure<|end|>", train: true },
    ]);
  });

  it("writes tool calls as JSON in the response and tool results as Input", () => {
    const text = alpaca()
      .chat(toolTurn)
      .map((s) => (s.train ? `[${s.text}]` : s.text))
      .join("");
    expect(text).toContain(
      '### Response:\n[{"name":"weather","arguments":{"city":"Oslo"}}</s>]\n\n### Input:\n{"temp":3}\n\n### Response:\n[3 °C.</s>]',
    );
  });
});

describe("chatml", () => {
  it("renders turns and trains only assistant text and <|im_end|>", () => {
    expect(chatml().chat([system, user("Hi"), assistant("Hello!"), user("Bye"), assistant("Bye!")])).toEqual([
      {
        text: "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        train: false,
      },
      { text: "Hello!<|im_end|>", train: true },
      { text: "\n<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n", train: false },
      { text: "Bye!<|im_end|>", train: true },
      { text: "\n", train: false },
    ]);
  });

  it("puts tools in the system turn, tool calls in <tool_call> blocks and results in a tool turn", () => {
    const segments = chatml().chat(toolTurn, tools);
    expect(segments.map((s) => s.text).join("")).toBe(
      "<|im_start|>system\n# Tools\n\n<tools>\n" +
        '{"name":"weather","parameters":{"type":"object"}}\n</tools><|im_end|>\n' +
        "<|im_start|>user\nWeather in Oslo?<|im_end|>\n<|im_start|>assistant\n" +
        '<tool_call>\n{"name":"weather","arguments":{"city":"Oslo"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>tool\n{"temp":3}<|im_end|>\n<|im_start|>assistant\n3 °C.<|im_end|>\n',
    );
    expect(segments.filter((s) => s.train).map((s) => s.text)).toEqual([
      '<tool_call>\n{"name":"weather","arguments":{"city":"Oslo"}}\n</tool_call><|im_end|>',
      "3 °C.<|im_end|>",
    ]);
  });
});

describe("llama3", () => {
  it("renders headers, trims contents like Meta's template and trains assistant text + <|eot_id|>", () => {
    expect(llama3().chat([system, user(" Hi "), assistant("Hello!\n")])).toEqual([
      {
        text:
          "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>" +
          "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        train: false,
      },
      { text: "Hello!<|eot_id|>", train: true },
    ]);
  });

  it("writes tool calls with parameters and tool results as ipython turns", () => {
    const text = llama3()
      .chat(toolTurn)
      .map((s) => (s.train ? `[${s.text}]` : s.text))
      .join("");
    expect(text).toBe(
      "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWeather in Oslo?<|eot_id|>" +
        '<|start_header_id|>assistant<|end_header_id|>\n\n[{"name":"weather","parameters":{"city":"Oslo"}}<|eot_id|>]' +
        '<|start_header_id|>ipython<|end_header_id|>\n\n{"temp":3}<|eot_id|>' +
        "<|start_header_id|>assistant<|end_header_id|>\n\n[3 °C.<|eot_id|>]",
    );
  });
});

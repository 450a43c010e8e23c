import type { Message, Segment } from "../types.js";
import { context, joinSegments } from "./segments.js";
import type { SpecialTokens, Template } from "./template.js";
import { toolCallJson } from "./tool-text.js";
import { assistantSpan, assistantText, leadingSystem } from "./turns.js";

const END = "<|eot_id|>";

/**
 * Llama 3: `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>`, contents trimmed as Meta's own
 * template does (so plain chats render exactly as Llama 3 Instruct's chat template). Tool results use
 * Llama 3.1's `ipython` role. Trained: each assistant turn's text and its `<|eot_id|>`.
 */
export function llama3(tokens: SpecialTokens = { bos: "<|begin_of_text|>", eos: END }): Template {
  return {
    name: "llama3",
    tokens,
    stop: [END],
    fingerprint: {},
    chat: (messages, tools) => renderLlama3(tokens.bos, messages, tools),
  };
}

const header = (role: string) => `<|start_header_id|>${role}<|end_header_id|>\n\n`;

function renderLlama3(bos: string, messages: readonly Message[], tools?: string): Segment[] {
  const { system, turns } = leadingSystem(messages, tools);
  const segments = [context(bos)];
  if (system !== undefined) segments.push(context(`${header("system")}${system.trim()}${END}`));
  for (const message of turns) {
    if (message.role !== "assistant") {
      const role = message.role === "tool" ? "ipython" : message.role;
      segments.push(context(`${header(role)}${message.content.trim()}${END}`));
      continue;
    }
    const text = assistantText(message, (call) => toolCallJson(call, "parameters"));
    segments.push(context(header("assistant")), assistantSpan(message, text.trim() + END));
  }
  return joinSegments(segments);
}

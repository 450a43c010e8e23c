import type { Message, Segment } from "../types.js";
import { context, joinSegments } from "./segments.js";
import type { SpecialTokens, Template } from "./template.js";
import { toolCallJson } from "./tool-text.js";
import { assistantSpan, assistantText, leadingSystem } from "./turns.js";

const END = "<|im_end|>";

/**
 * ChatML: `<|im_start|>role\n…<|im_end|>\n` per turn. Trained: each assistant turn's text and its
 * `<|im_end|>` (the stop marker); the header and the newline after it are context.
 */
export function chatml(tokens: SpecialTokens = { bos: "", eos: END }): Template {
  return {
    name: "chatml",
    tokens,
    stop: [END],
    fingerprint: {},
    chat: (messages, tools) => renderChatml(tokens.bos, messages, tools),
  };
}

function renderChatml(bos: string, messages: readonly Message[], tools?: string): Segment[] {
  const { system, turns } = leadingSystem(messages, tools);
  const segments = [context(bos)];
  if (system !== undefined) segments.push(context(`<|im_start|>system\n${system}${END}\n`));
  for (const message of turns) {
    if (message.role !== "assistant") {
      segments.push(context(`<|im_start|>${message.role}\n${message.content}${END}\n`));
      continue;
    }
    const text = assistantText(message, (call) => `<tool_call>\n${toolCallJson(call)}\n</tool_call>`);
    segments.push(context("<|im_start|>assistant\n"), assistantSpan(message, text + END), context("\n"));
  }
  return joinSegments(segments);
}

import type { Message, Segment } from "../types.js";
import { context, joinSegments } from "./segments.js";
import type { SpecialTokens, Template } from "./template.js";
import { toolCallJson } from "./tool-text.js";
import { assistantSpan, assistantText, leadingSystem } from "./turns.js";

export const ALPACA_PREAMBLE =
  "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

/**
 * The Stanford Alpaca layout, extended to whole conversations:
 *
 *   {bos}{system text, or the Alpaca preamble}\n\n### Instruction:\n{user}\n\n### Response:\n{assistant}{eos}
 *
 * A multi-turn conversation repeats the Instruction/Response blocks (separated by a blank line); tool
 * results become `### Input:` blocks. Trained: every response and the eos after it. The preamble is the
 * leading system message when there is one, so a record's own system prompt replaces the stock one.
 */
export function alpaca(tokens: SpecialTokens = { bos: "", eos: "</s>" }): Template {
  return {
    name: "alpaca",
    tokens,
    stop: [tokens.eos],
    fingerprint: {},
    chat: (messages, tools) => renderAlpaca(tokens, messages, tools),
  };
}

function renderAlpaca(tokens: SpecialTokens, messages: readonly Message[], tools?: string): Segment[] {
  const { system, turns } = leadingSystem(messages, tools);
  const blocks: Segment[][] = [[context(tokens.bos + (system ?? ALPACA_PREAMBLE))]];
  for (const message of turns) blocks.push(block(message, tokens.eos));
  return joinSegments(blocks.flatMap((segments, i) => (i === 0 ? segments : [context("\n\n"), ...segments])));
}

function block(message: Message, eos: string): Segment[] {
  switch (message.role) {
    case "user":
      return [context(`### Instruction:\n${message.content}`)];
    case "tool":
      return [context(`### Input:\n${message.content}`)];
    case "system":
      return [context(message.content)];
    case "assistant": {
      const text = assistantText(message, (call) => toolCallJson(call));
      return [context("### Response:\n"), assistantSpan(message, text + eos)];
    }
  }
}

import type { Message, Segment, ToolCall } from "../types.js";
import { context, trained } from "./segments.js";
import { withTools } from "./tool-text.js";

/** A leading system message (with the tools block appended) and the turns after it. */
export function leadingSystem(
  messages: readonly Message[],
  tools: string | undefined,
): { system: string | undefined; turns: readonly Message[] } {
  const first = messages[0];
  const hasSystem = first?.role === "system";
  return {
    system: withTools(hasSystem ? first.content : undefined, tools),
    turns: hasSystem ? messages.slice(1) : messages,
  };
}

/**
 * An assistant turn as the built-in templates write it: its thinking in a `<think>` block (the
 * Qwen3/DeepSeek-R1 convention), its text, then its tool calls, each rendered by `call`.
 */
export function assistantText(message: Message, call: (toolCall: ToolCall) => string): string {
  const calls = (message.tool_calls ?? []).map(call);
  const thinking = message.reasoning === undefined ? "" : `<think>\n${message.reasoning}\n</think>\n`;
  return [thinking, message.content, ...calls].filter((part) => part !== "").join("\n");
}

/** An assistant turn's span: trained, unless the row keeps it as context (`loss_weight: 0`). */
export function assistantSpan(message: Message, text: string): Segment {
  return message.train === false ? context(text) : trained(text);
}

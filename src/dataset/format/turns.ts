import type { Message, ToolCall } from "../types.js";
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

/** An assistant turn's text followed by its tool calls, each rendered by `call`. */
export function withToolCalls(message: Message, call: (toolCall: ToolCall) => string): string {
  const calls = (message.tool_calls ?? []).map(call);
  return [message.content, ...calls].filter((part) => part !== "").join("\n");
}

import type { Message } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { issue } from "./fields.js";

/**
 * Checks that hold for any chat: something to learn from (an assistant turn that says or calls
 * something), and tool results only after a tool call. `contentKey` names the text field in the row
 * (`content` or `value`) so paths point at what the user wrote.
 */
export function checkConversation(
  messages: Message[],
  base: string,
  contentKey: string,
  issues: Issue[],
): void {
  let assistants = 0;
  messages.forEach((message, i) => {
    const path = joinPath(base, i);
    if (message.role === "assistant") {
      assistants++;
      if (!message.tool_calls && message.content.trim().length === 0) {
        issue(
          issues,
          joinPath(path, contentKey),
          "empty-target",
          "the assistant turn is empty: nothing to learn from; write the reply or drop the turn",
        );
      }
    }
    if (message.role === "tool") {
      const previous = messages[i - 1];
      if (!previous || !(previous.role === "tool" || previous.tool_calls)) {
        issue(
          issues,
          path,
          "turn-order",
          "a tool result must follow the assistant turn that called the tool; move or remove it",
        );
      }
    }
  });
  if (assistants === 0) {
    issue(
      issues,
      base,
      "no-assistant-turn",
      "no assistant turn to learn from; add the reply the model should give",
    );
  }
}

import type { Message } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { describe, issue } from "./fields.js";

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
    if (message.role === "assistant" && message.train !== false) {
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
      messages.some((m) => m.role === "assistant")
        ? "every assistant turn has loss_weight 0: nothing to learn from; give the reply to train loss_weight 1"
        : "no assistant turn to learn from; add the reply the model should give",
    );
  }
}

/**
 * A non-empty list of turns, each read by `readItem`; the list is usable only when every turn is.
 * `shape` names what a turn looks like in this format, for the message (`{"role", "content"} messages`).
 */
export function readTurnList(
  value: unknown,
  path: string,
  issues: Issue[],
  readItem: (item: unknown, path: string, issues: Issue[]) => Message | undefined,
  shape: string,
): Message[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    const got = value === undefined ? "missing" : Array.isArray(value) ? "empty" : describe(value);
    issue(issues, path, "missing-messages", `"${path}" is ${got}; it must be a non-empty list of ${shape}`);
    return undefined;
  }
  const turns: Message[] = [];
  value.forEach((item, i) => {
    const message = readItem(item, joinPath(path, i), issues);
    if (message) turns.push(message);
  });
  return turns.length === value.length ? turns : undefined;
}

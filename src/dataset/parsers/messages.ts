import type { CanonicalRecord, Message } from "../types.js";
import type { Issue } from "../problems.js";
import { checkConversation, readTurnList } from "./conversation.js";
import { checkKeys, describe, issue, METADATA_KEYS, type Row } from "./fields.js";
import { readOpenAiMessage } from "./openai-message.js";

const KEYS = new Set(["messages", "tools", "parallel_tool_calls", ...METADATA_KEYS]);

/** OpenAI chat fine-tuning rows {messages: [{role, content, tool_calls?, tool_call_id?}], tools?}. */
export function parseMessages(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "a messages row");
  const messages = readMessages(row.messages, "messages", issues);
  if (!messages) return undefined;
  checkConversation(messages, "messages", "content", issues);
  if (row.tools !== undefined && !Array.isArray(row.tools)) {
    issue(
      issues,
      "tools",
      "wrong-type",
      `"tools" is ${describe(row.tools)}; it must be a list of tool schemas`,
    );
  }
  if (issues.length > 0) return undefined;
  return row.tools === undefined
    ? { kind: "chat", messages }
    : { kind: "chat", messages, tools: JSON.stringify(row.tools) };
}

export function readMessages(value: unknown, path: string, issues: Issue[]): Message[] | undefined {
  return readTurnList(value, path, issues, readOpenAiMessage, '{"role", "content"} messages');
}

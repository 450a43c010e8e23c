import type { CanonicalRecord, Message } from "../types.js";
import type { Issue } from "../problems.js";
import { checkConversation, readTurnList } from "./conversation.js";
import { checkKeys, describe, issue, METADATA_KEYS, type Row } from "./fields.js";
import { readOpenAiMessage } from "./openai-message.js";

// extra_info and _dataset_name: LLaMA-Factory v1's bookkeeping, not part of the example.
const KEYS = new Set([
  "messages",
  "tools",
  "parallel_tool_calls",
  "extra_info",
  "_dataset_name",
  ...METADATA_KEYS,
]);

/**
 * OpenAI chat fine-tuning rows {messages: [{role, content, tool_calls?, tool_call_id?}], tools?}, and
 * LLaMA-Factory v1 rows (typed content parts, loss_weight, tools as JSON text).
 */
export function parseMessages(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "a messages row");
  const messages = readMessages(row.messages, "messages", issues);
  if (!messages) return undefined;
  checkConversation(messages, "messages", "content", issues);
  const tools = readTools(row.tools, issues);
  if (issues.length > 0) return undefined;
  return tools === undefined ? { kind: "chat", messages } : { kind: "chat", messages, tools };
}

/** A list of tool schemas, or its JSON text (LLaMA-Factory); kept as JSON text. */
export function readTools(value: unknown, issues: Issue[]): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === "string" && Array.isArray(parseOrUndefined(value))) return value;
  issue(
    issues,
    "tools",
    "wrong-type",
    `"tools" is ${describe(value)}; it must be a list of tool schemas (or its JSON text)`,
  );
  return undefined;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function readMessages(value: unknown, path: string, issues: Issue[]): Message[] | undefined {
  return readTurnList(value, path, issues, readOpenAiMessage, '{"role", "content"} messages');
}

import type { CanonicalRecord } from "../types.js";
import type { Issue } from "../problems.js";
import { checkConversation } from "./conversation.js";
import { checkKeys, describe, issue, METADATA_KEYS, type Row } from "./fields.js";
import { readMessages, readTools } from "./messages.js";

const KEYS = new Set(["messages", "label", "tools", "extra_info", "_dataset_name", ...METADATA_KEYS]);

/**
 * Unpaired feedback for KTO, as LLaMA-Factory writes it: {messages, label}, where the last message is the
 * assistant answer being judged and `label` says whether it is desirable (true) or not (false).
 */
export function parseFeedback(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "a KTO row");
  const messages = readMessages(row.messages, "messages", issues);
  if (typeof row.label !== "boolean") {
    const got = row.label === undefined ? "missing" : describe(row.label);
    issue(
      issues,
      "label",
      row.label === undefined ? "missing-key" : "wrong-type",
      `"label" is ${got}; it must be true (a desirable answer) or false`,
    );
  }
  const tools = readTools(row.tools, issues);
  if (!messages) return undefined;
  const last = messages.at(-1)!;
  if (last.role !== "assistant" || last.train === false) {
    issue(
      issues,
      `messages[${messages.length - 1}]`,
      "no-assistant-turn",
      "the last message must be the assistant answer the label judges",
    );
  }
  checkConversation(messages, "messages", "content", issues);
  if (issues.length > 0) return undefined;
  const record: CanonicalRecord = {
    kind: "feedback",
    prompt: messages.slice(0, -1),
    completion: [last],
    label: row.label as boolean,
  };
  if (tools !== undefined) record.tools = tools;
  return record;
}

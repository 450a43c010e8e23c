import type { CanonicalRecord, Message } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkKeys, describe, isObject, issue, METADATA_KEYS, readText, type Row } from "./fields.js";
import { readOpenAiMessage } from "./openai-message.js";
import { readShareGptTurn } from "./sharegpt-turn.js";

const KEYS = new Set(["prompt", "chosen", "rejected", "conversations", "system", "tools", ...METADATA_KEYS]);
const V1_KEYS = new Set([
  "chosen_messages",
  "rejected_messages",
  "tools",
  "extra_info",
  "_dataset_name",
  ...METADATA_KEYS,
]);

/**
 * Preference pairs: {prompt, chosen, rejected} with strings or message lists (TRL; without `prompt`
 * the shared leading turns are the prompt), LLaMA-Factory's {conversations, chosen, rejected} with
 * chosen/rejected as one {from, value} turn, or LLaMA-Factory v1's {chosen_messages, rejected_messages}.
 */
export function parsePreference(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  const v1 = row.chosen_messages !== undefined || row.rejected_messages !== undefined;
  checkKeys(row, v1 ? V1_KEYS : KEYS, "", issues, "a preference row");
  const system = v1 ? undefined : readText(row, "system", "", issues);
  const promptKey = row.conversations !== undefined ? "conversations" : "prompt";
  let prompt = row[promptKey] === undefined ? [] : readSide(row[promptKey], promptKey, "user", issues);
  const [chosenKey, rejectedKey] = v1 ? ["chosen_messages", "rejected_messages"] : ["chosen", "rejected"];
  let chosen = readSide(row[chosenKey], chosenKey, "assistant", issues);
  let rejected = readSide(row[rejectedKey], rejectedKey, "assistant", issues);
  if (!prompt || !chosen || !rejected) return undefined;
  if (row[promptKey] === undefined) [prompt, chosen, rejected] = splitSharedPrompt(chosen, rejected);
  if (prompt.length === 0)
    issue(issues, "prompt", "missing-key", `missing "prompt"; give the prompt the two answers reply to`);
  checkAnswer(chosen, chosenKey, issues);
  checkAnswer(rejected, rejectedKey, issues);
  if (issues.length > 0) return undefined;
  if (system) prompt = [{ role: "system", content: system }, ...prompt];
  return { kind: "preference", prompt, chosen, rejected };
}

/** A string (one turn of `role`), one message object, or a list of messages in either style. */
function readSide(
  value: unknown,
  path: string,
  role: "user" | "assistant",
  issues: Issue[],
): Message[] | undefined {
  if (value === undefined) {
    issue(
      issues,
      path,
      "missing-key",
      `missing "${path}"; a preference row needs prompt, chosen and rejected`,
    );
    return undefined;
  }
  if (typeof value === "string") return [{ role, content: value }];
  const items = Array.isArray(value) ? value : isObject(value) ? [value] : undefined;
  if (!items || items.length === 0) {
    issue(
      issues,
      path,
      "content-not-string",
      `"${path}" is ${describe(value)}; use a string or a list of messages`,
    );
    return undefined;
  }
  const shareGpt = isObject(items[0]) && "from" in items[0];
  const before = issues.length;
  const messages = items.map((item, i) => {
    const at = Array.isArray(value) ? joinPath(path, i) : path;
    return shareGpt ? readShareGptTurn(item, at, issues) : readOpenAiMessage(item, at, issues);
  });
  return issues.length === before ? (messages as Message[]) : undefined;
}

function splitSharedPrompt(chosen: Message[], rejected: Message[]): [Message[], Message[], Message[]] {
  let shared = 0;
  while (
    shared < chosen.length - 1 &&
    shared < rejected.length - 1 &&
    sameMessage(chosen[shared]!, rejected[shared]!)
  )
    shared++;
  return [chosen.slice(0, shared), chosen.slice(shared), rejected.slice(shared)];
}

function sameMessage(a: Message, b: Message): boolean {
  return a.role === b.role && a.content === b.content && a.reasoning === b.reasoning;
}

function checkAnswer(messages: Message[], path: string, issues: Issue[]): void {
  const answers = messages.filter((m) => m.role === "assistant");
  if (answers.length === 0)
    issue(
      issues,
      path,
      "no-assistant-turn",
      `"${path}" has no assistant turn; it must hold the answer to compare`,
    );
  else if (answers.every((m) => !m.tool_calls && m.content.trim() === "")) {
    issue(issues, path, "empty-target", `the "${path}" answer is empty; write it or drop the row`);
  }
}

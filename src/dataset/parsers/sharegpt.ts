import type { CanonicalRecord, Message } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkConversation, readTurnList } from "./conversation.js";
import { checkKeys, describe, issue, METADATA_KEYS, readText, type Row } from "./fields.js";
import { readShareGptTurn } from "./sharegpt-turn.js";

const KEYS = new Set(["conversations", "system", "tools", ...METADATA_KEYS]);

/** ShareGPT {conversations: [{from, value}], system?, tools?} as LLaMA-Factory reads it. */
export function parseShareGpt(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "a ShareGPT row");
  const system = readText(row, "system", "", issues);
  const tools = readTools(row.tools, issues);
  const turns = readTurns(row.conversations, "conversations", issues);
  if (!turns) return undefined;
  checkAlternation(turns, "conversations", issues);
  checkConversation(turns, "conversations", "value", issues);
  if (issues.length > 0) return undefined;
  const messages: Message[] = system ? [{ role: "system", content: system }, ...turns] : turns;
  return tools === undefined ? { kind: "chat", messages } : { kind: "chat", messages, tools };
}

export function readTurns(value: unknown, path: string, issues: Issue[]): Message[] | undefined {
  return readTurnList(value, path, issues, readShareGptTurn, '{"from", "value"} turns');
}

/** `tools` is JSON text of the tool schemas; a list or object is accepted and serialized. */
function readTools(value: unknown, issues: Issue[]): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") {
    if (typeof value === "object") return JSON.stringify(value);
    issue(
      issues,
      "tools",
      "wrong-type",
      `"tools" is ${describe(value)}; it must be JSON text of the tool schemas`,
    );
    return undefined;
  }
  try {
    JSON.parse(value);
  } catch {
    issue(
      issues,
      "tools",
      "wrong-type",
      `"tools" is not valid JSON; it must be JSON text of the tool schemas`,
    );
  }
  return value;
}

/** After an optional system turn, user-side (human, observation) and assistant-side turns alternate. */
function checkAlternation(turns: Message[], base: string, issues: Issue[]): void {
  const offset = turns[0]?.role === "system" ? 1 : 0;
  for (let i = offset; i < turns.length; i++) {
    const turn = turns[i]!;
    const wantAssistant = (i - offset) % 2 === 1;
    if (turn.role === "system" || (turn.role === "assistant") !== wantAssistant) {
      const want = wantAssistant ? "gpt or function_call" : "human or observation";
      issue(
        issues,
        joinPath(joinPath(base, i), "from"),
        "turn-order",
        `expected a ${want} turn here; ShareGPT turns alternate (system first if any)`,
      );
      return;
    }
  }
  const last = turns[turns.length - 1];
  if (last && last.role !== "assistant" && turns.some((t) => t.role === "assistant")) {
    issue(
      issues,
      joinPath(base, turns.length - 1),
      "turn-order",
      "the conversation ends without a reply; end it with a gpt turn or remove the last turn",
    );
  }
}

import type { Message, Role } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkKeys, describe, isObject, issue } from "./fields.js";
import { readContentParts, type MessageContent } from "./content-parts.js";
import { readOpenAiToolCalls } from "./tool-calls.js";

const KEYS = new Set(["role", "content", "name", "tool_calls", "tool_call_id", "weight", "loss_weight"]);
// A Map, not an object literal: a plain object would also answer "constructor" or "toString".
const ROLES = new Map<string, Role>([
  ["system", "system"],
  ["developer", "system"],
  ["user", "user"],
  ["assistant", "assistant"],
  ["tool", "tool"],
]);

/**
 * One OpenAI-style message {role, content, tool_calls?, tool_call_id?, weight?}, or LLaMA-Factory v1's
 * {role, content: [typed parts], loss_weight?}.
 */
export function readOpenAiMessage(value: unknown, path: string, issues: Issue[]): Message | undefined {
  if (!isObject(value)) {
    issue(
      issues,
      path,
      "wrong-type",
      `a message is ${describe(value)}; it must be an object {"role", "content"}`,
    );
    return undefined;
  }
  const before = issues.length;
  checkKeys(value, KEYS, path, issues, "a message");
  const role = readRole(value.role, joinPath(path, "role"), issues);
  const calls =
    value.tool_calls === undefined
      ? undefined
      : readOpenAiToolCalls(value.tool_calls, joinPath(path, "tool_calls"), issues);
  if (calls && role !== "assistant" && role !== undefined) {
    issue(
      issues,
      joinPath(path, "tool_calls"),
      "invalid-tool-call",
      `only assistant messages carry tool_calls, not ${role}`,
    );
  }
  const content = readContent(value, path, issues, value.tool_calls !== undefined);
  const callId = value.tool_call_id;
  if (callId !== undefined && typeof callId !== "string") {
    issue(issues, joinPath(path, "tool_call_id"), "wrong-type", `"tool_call_id" must be a string`);
  }
  const trained = readWeight(value, path, issues);
  if (issues.length > before || role === undefined || content === undefined) return undefined;
  const message: Message = { role, content: content.content };
  const allCalls = [...(calls ?? []), ...(content.toolCalls ?? [])];
  if (allCalls.length > 0) message.tool_calls = allCalls;
  if (typeof callId === "string") message.tool_call_id = callId;
  if (content.reasoning !== undefined) message.reasoning = content.reasoning;
  if (trained === false && role === "assistant") message.train = false;
  return message;
}

/**
 * `loss_weight` (LLaMA-Factory v1) or `weight` (OpenAI): 1 trains an assistant turn, 0 keeps it as
 * context only. Other values would need per-token loss weights, which the trainer does not have.
 */
function readWeight(message: Record<string, unknown>, path: string, issues: Issue[]): boolean | undefined {
  const key = message.loss_weight !== undefined ? "loss_weight" : "weight";
  const value = message[key];
  if (value === undefined) return undefined;
  if (value === 0 || value === 1) return value === 1;
  const shown = typeof value === "number" ? String(value) : describe(value);
  issue(
    issues,
    joinPath(path, key),
    "wrong-type",
    `"${key}" is ${shown}; use 1 (train this turn) or 0 (context only) — fractional weights are not supported`,
  );
  return undefined;
}

function readRole(value: unknown, path: string, issues: Issue[]): Role | undefined {
  if (value === undefined) {
    issue(issues, path, "missing-key", `missing "role"; use one of system, user, assistant, tool`);
    return undefined;
  }
  const role = typeof value === "string" ? ROLES.get(value) : undefined;
  if (!role) {
    const shown = typeof value === "string" ? `"${value}"` : describe(value);
    issue(issues, path, "unknown-role", `unknown role ${shown}; use one of system, user, assistant, tool`);
  }
  return role;
}

/** A string, or a list of content parts; null or absent only on a turn that calls tools. */
function readContent(
  message: Record<string, unknown>,
  path: string,
  issues: Issue[],
  callsTools: boolean,
): MessageContent | undefined {
  const value = message.content;
  const at = joinPath(path, "content");
  if (typeof value === "string") return { content: value };
  if (value === undefined || value === null) {
    if (callsTools) return { content: "" };
    issue(
      issues,
      at,
      "missing-content",
      `the message has no content; give "content" a string (null is allowed only with tool_calls)`,
    );
    return undefined;
  }
  if (Array.isArray(value)) return readContentParts(value, at, issues);
  issue(
    issues,
    at,
    "content-not-string",
    `content is ${describe(value)}; it must be a string or a list of content parts`,
  );
  return undefined;
}

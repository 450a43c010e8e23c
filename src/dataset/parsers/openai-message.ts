import type { Message, Role } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkKeys, describe, isObject, issue } from "./fields.js";
import { readOpenAiToolCalls } from "./tool-calls.js";

const KEYS = new Set(["role", "content", "name", "tool_calls", "tool_call_id", "weight"]);
const ROLES: Record<string, Role> = {
  system: "system",
  developer: "system",
  user: "user",
  assistant: "assistant",
  tool: "tool",
};

/** One OpenAI-style message {role, content, tool_calls?, tool_call_id?}. */
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
  if (issues.length > before || role === undefined || content === undefined) return undefined;
  const message: Message = { role, content };
  if (calls) message.tool_calls = calls;
  if (typeof callId === "string") message.tool_call_id = callId;
  return message;
}

function readRole(value: unknown, path: string, issues: Issue[]): Role | undefined {
  if (value === undefined) {
    issue(issues, path, "missing-key", `missing "role"; use one of system, user, assistant, tool`);
    return undefined;
  }
  const role = typeof value === "string" ? ROLES[value] : undefined;
  if (!role) {
    const shown = typeof value === "string" ? `"${value}"` : describe(value);
    issue(issues, path, "unknown-role", `unknown role ${shown}; use one of system, user, assistant, tool`);
  }
  return role;
}

/** A string, or a list of text parts; null or absent only on a turn that calls tools. */
function readContent(
  message: Record<string, unknown>,
  path: string,
  issues: Issue[],
  callsTools: boolean,
): string | undefined {
  const value = message.content;
  const at = joinPath(path, "content");
  if (typeof value === "string") return value;
  if (value === undefined || value === null) {
    if (callsTools) return "";
    issue(
      issues,
      at,
      "missing-content",
      `the message has no content; give "content" a string (null is allowed only with tool_calls)`,
    );
    return undefined;
  }
  if (
    Array.isArray(value) &&
    value.every((part) => isObject(part) && part.type === "text" && typeof part.text === "string")
  ) {
    return value.map((part) => (part as { text: string }).text).join("");
  }
  issue(
    issues,
    at,
    "content-not-string",
    `content is ${describe(value)}; it must be a string (or a list of {"type": "text", "text"} parts)`,
  );
  return undefined;
}

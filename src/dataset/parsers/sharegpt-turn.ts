import type { Message, Role } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkKeys, describe, isObject, issue } from "./fields.js";
import { readShareGptCalls } from "./tool-calls.js";

const KEYS = new Set(["from", "value"]);
// A Map, not an object literal: a plain object would also answer "constructor" or "toString".
const ROLES = new Map<string, Role>([
  ["human", "user"],
  ["gpt", "assistant"],
  ["system", "system"],
  ["function_call", "assistant"],
  ["observation", "tool"],
]);
export const SHAREGPT_ROLES = [...ROLES.keys()].join(", ");

/** One ShareGPT turn {from, value}; `function_call` becomes an assistant turn with parsed tool_calls. */
export function readShareGptTurn(value: unknown, path: string, issues: Issue[]): Message | undefined {
  if (!isObject(value)) {
    issue(issues, path, "wrong-type", `a turn is ${describe(value)}; it must be an object {"from", "value"}`);
    return undefined;
  }
  const before = issues.length;
  checkKeys(value, KEYS, path, issues, "a turn");
  const from = value.from;
  const role = typeof from === "string" ? ROLES.get(from) : undefined;
  if (from === undefined)
    issue(issues, joinPath(path, "from"), "missing-key", `missing "from"; use one of ${SHAREGPT_ROLES}`);
  else if (!role) {
    const shown = typeof from === "string" ? `"${from}"` : describe(from);
    issue(
      issues,
      joinPath(path, "from"),
      "unknown-role",
      `unknown role ${shown}; use one of ${SHAREGPT_ROLES}`,
    );
  }
  const text = value.value;
  const at = joinPath(path, "value");
  if (text === undefined || text === null)
    issue(issues, at, "missing-content", `the turn has no "value"; give it the turn's text`);
  else if (typeof text !== "string")
    issue(issues, at, "content-not-string", `"value" is ${describe(text)}; it must be a string`);
  if (issues.length > before || !role || typeof text !== "string") return undefined;
  if (from !== "function_call") return { role, content: text };
  const calls = readShareGptCalls(text, at, issues);
  return calls ? { role, content: "", tool_calls: calls } : undefined;
}

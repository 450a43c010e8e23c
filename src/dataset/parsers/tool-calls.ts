import type { ToolCall } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { describe, isObject, issue } from "./fields.js";

/** Arguments travel as JSON text (as in OpenAI messages); an object is accepted and serialized. */
function argumentsText(value: unknown, path: string, issues: Issue[]): string | undefined {
  if (value === undefined) return "{}";
  if (isObject(value)) return JSON.stringify(value);
  if (typeof value === "string") {
    try {
      JSON.parse(value);
      return value;
    } catch {
      issue(
        issues,
        path,
        "invalid-tool-call",
        "arguments are not valid JSON; write them as a JSON object or its JSON text",
      );
      return undefined;
    }
  }
  issue(issues, path, "invalid-tool-call", `arguments are ${describe(value)}; use a JSON object`);
  return undefined;
}

function toolCall(
  name: unknown,
  args: unknown,
  id: unknown,
  path: string,
  issues: Issue[],
): ToolCall | undefined {
  if (typeof name !== "string" || name.length === 0) {
    issue(
      issues,
      joinPath(path, "name"),
      "invalid-tool-call",
      `the call needs a "name" string naming the tool`,
    );
    return undefined;
  }
  const text = argumentsText(args, joinPath(path, "arguments"), issues);
  if (text === undefined) return undefined;
  return typeof id === "string" ? { id, name, arguments: text } : { name, arguments: text };
}

/** OpenAI `tool_calls`: [{id, type: "function", function: {name, arguments}}]. */
export function readOpenAiToolCalls(value: unknown, path: string, issues: Issue[]): ToolCall[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    issue(
      issues,
      path,
      "invalid-tool-call",
      `"tool_calls" must be a non-empty array of {id, type, function: {name, arguments}}`,
    );
    return undefined;
  }
  const calls: ToolCall[] = [];
  value.forEach((item, i) => {
    const at = joinPath(path, i);
    const fn = isObject(item) ? item.function : undefined;
    if (!isObject(item) || !isObject(fn)) {
      issue(
        issues,
        at,
        "invalid-tool-call",
        `each tool call needs a "function" object with "name" and "arguments"`,
      );
      return;
    }
    const call = toolCall(fn.name, fn.arguments, item.id, joinPath(at, "function"), issues);
    if (call) calls.push(call);
  });
  return calls.length === value.length ? calls : undefined;
}

/** ShareGPT `function_call` value: JSON text of {name, arguments} or a list of them (parallel calls). */
export function readShareGptCalls(text: string, path: string, issues: Issue[]): ToolCall[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    issue(
      issues,
      path,
      "invalid-tool-call",
      `a function_call value must be JSON text of {"name", "arguments"}`,
    );
    return undefined;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const calls: ToolCall[] = [];
  for (const item of items) {
    if (!isObject(item)) {
      issue(
        issues,
        path,
        "invalid-tool-call",
        `a function_call value must be a JSON object {"name", "arguments"}`,
      );
      return undefined;
    }
    const call = toolCall(item.name, item.arguments, item.id, path, issues);
    if (!call) return undefined;
    calls.push(call);
  }
  return calls.length > 0 ? calls : undefined;
}

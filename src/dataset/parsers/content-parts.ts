import type { ToolCall } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { describe, isObject, issue } from "./fields.js";
import { readShareGptCalls } from "./tool-calls.js";

/** What a message's content holds once its parts are read. */
export interface MessageContent {
  content: string;
  reasoning?: string;
  toolCalls?: ToolCall[];
}

const PART_SHAPES =
  '{"type": "text", "text"} parts (OpenAI) or {"type": "text" | "reasoning" | "tool_call", "value"} parts (LLaMA-Factory v1)';

/**
 * A list of content parts: OpenAI's `{"type": "text", "text"}`, or LLaMA-Factory v1's typed parts
 * `{"type", "value"}` — text parts joined, reasoning parts kept apart (the template decides how thinking
 * is written), tool calls read as tool calls. Undefined, with the problems recorded, when a part is neither.
 */
export function readContentParts(
  parts: unknown[],
  path: string,
  issues: Issue[],
): MessageContent | undefined {
  const texts: string[] = [];
  const thoughts: string[] = [];
  const calls: ToolCall[] = [];
  const before = issues.length;
  parts.forEach((part, i) => {
    const at = joinPath(path, i);
    if (!isObject(part))
      return issue(issues, at, "content-not-string", `a part is ${describe(part)}; use ${PART_SHAPES}`);
    const value = part.value ?? part.text;
    if (typeof value !== "string" && !(part.type === "tool_call" && isObject(value))) {
      return issue(
        issues,
        at,
        "content-not-string",
        `the part has no string "value" (or "text"); use ${PART_SHAPES}`,
      );
    }
    if (part.type === "text") texts.push(value as string);
    else if (part.type === "reasoning") thoughts.push(value as string);
    else if (part.type === "tool_call" || part.type === "tool_calls") {
      // The same JSON text of {name, arguments} (or a list of them) as a ShareGPT function_call turn.
      const text = typeof value === "string" ? value : JSON.stringify(value);
      calls.push(...(readShareGptCalls(text, joinPath(at, "value"), issues) ?? []));
    } else
      issue(
        issues,
        joinPath(at, "type"),
        "content-not-string",
        `unsupported part type ${JSON.stringify(part.type)}; use ${PART_SHAPES}`,
      );
  });
  if (issues.length > before) return undefined;
  const content: MessageContent = { content: texts.join("") };
  if (thoughts.length > 0) content.reasoning = thoughts.join("\n");
  if (calls.length > 0) content.toolCalls = calls;
  return content;
}

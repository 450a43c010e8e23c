import type { ToolCall } from "../types.js";

/**
 * How the built-in templates (alpaca, chatml, llama3) write tools, documented here once:
 * - an assistant turn's tool calls are JSON objects `{"name": …, "<argsKey>": {…}}`, one per call, after
 *   the turn's text (chatml wraps each in `<tool_call>\n…\n</tool_call>`, the Hermes/Qwen convention;
 *   llama3 uses `"parameters"` as Llama 3.1 does);
 * - tool results are their own turn (role `tool` in chatml, `ipython` in llama3, `### Input:` in alpaca);
 * - the record's tool definitions go into the system text as a `# Tools` block, one JSON object a line.
 * `--template model` passes tools and tool calls to the model's own Jinja template instead.
 */
export function toolCallJson(call: ToolCall, argsKey = "arguments"): string {
  return JSON.stringify({ name: call.name, [argsKey]: parseJsonOr(call.arguments) });
}

export function toolsBlock(tools: string): string {
  const parsed = parseJsonOr(tools);
  const lines = Array.isArray(parsed) ? parsed.map((tool) => JSON.stringify(tool)) : [tools.trim()];
  return `# Tools\n\n<tools>\n${lines.join("\n")}\n</tools>`;
}

/** Tool definitions as the objects a Jinja chat template expects, or undefined when there are none. */
export function toolsList(tools: string | undefined): unknown[] | undefined {
  if (tools === undefined || tools.trim() === "") return undefined;
  const parsed = parseJsonOr(tools);
  if (Array.isArray(parsed)) return parsed;
  return typeof parsed === "object" && parsed !== null ? [parsed] : undefined;
}

/** Arguments arrive as JSON text; templates want the object, but a malformed one is kept as written. */
export function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The system text with the tools block appended (or the block alone when there is no system text). */
export function withTools(system: string | undefined, tools: string | undefined): string | undefined {
  if (tools === undefined || tools.trim() === "") return system;
  const block = toolsBlock(tools);
  return system ? `${system}\n\n${block}` : block;
}

import { Template as Jinja } from "@huggingface/jinja";
import { FailedError, UsageError, messageOf } from "../../errors/index.js";
import type { Message, Segment } from "../types.js";
import { sha256Text } from "./hash.js";
import { context, joinSegments, trained } from "./segments.js";
import type { SpecialTokens, Template } from "./template.js";
import { parseJsonOr, toolsList } from "./tool-text.js";

export interface ChatTemplateSource {
  /** The Jinja text of the model's chat template. */
  text: string;
  /** Where it came from, named in every error: `models/x/chat_template.jinja`. */
  origin: string;
  tokens: SpecialTokens;
  /** The model's other special tokens (`unk_token`, `pad_token`, …), passed to the template as variables. */
  variables?: Record<string, string>;
}

type Render = (messages: readonly Message[], addGenerationPrompt: boolean) => string;

/**
 * The base model's own chat template, so training sees exactly the text inference will. The trained
 * span of assistant turn i is what rendering messages[0..i] adds to rendering messages[0..i) with the
 * generation prompt — the model's own answer and end-of-turn marker, never the header the prompt
 * already holds. That only works for templates where each rendering is a prefix of the next; one that
 * is not (e.g. it rewrites earlier turns) is refused with the template named.
 */
export function modelTemplate(source: ChatTemplateSource): Template {
  const jinja = compile(source);
  return {
    name: "model",
    tokens: source.tokens,
    stop: source.tokens.eos ? [source.tokens.eos] : [],
    fingerprint: { chat_template_sha256: sha256Text(source.text) },
    origin: source.origin,
    chat: (messages, tools) => {
      const render: Render = (part, addGenerationPrompt) =>
        renderOrFail(() => jinja.render(variables(source, part, tools, addGenerationPrompt)), source.origin);
      return trainedSpans(render, messages, source.origin);
    },
  };
}

function compile(source: ChatTemplateSource): Jinja {
  try {
    return new Jinja(source.text);
  } catch (error) {
    throw new UsageError("chat-template-invalid", `${source.origin}: the chat template does not parse`, {
      hint: `${messageOf(error)}. Fix the template or pick --template alpaca, chatml or llama3.`,
    });
  }
}

function trainedSpans(render: Render, messages: readonly Message[], origin: string): Segment[] {
  const full = render(messages, false);
  const segments: Segment[] = [];
  let cursor = 0;
  messages.forEach((message, i) => {
    if (message.role !== "assistant" || message.train === false) return;
    const before = render(messages.slice(0, i), true);
    const through = render(messages.slice(0, i + 1), false);
    if (!through.startsWith(before) || !full.startsWith(through) || before.length < cursor) {
      throw notPrefixStable(origin, i);
    }
    // Whitespace after the end-of-turn marker is never generated (generation stops at the marker).
    const span = through.slice(before.length).trimEnd();
    if (message.reasoning && !span.includes(message.reasoning)) throw dropsReasoning(origin, i);
    segments.push(context(full.slice(cursor, before.length)), trained(span));
    cursor = before.length + span.length;
  });
  segments.push(context(full.slice(cursor)));
  return joinSegments(segments);
}

function variables(
  source: ChatTemplateSource,
  messages: readonly Message[],
  tools: string | undefined,
  add: boolean,
) {
  const list = toolsList(tools);
  return {
    ...source.variables,
    bos_token: source.tokens.bos,
    eos_token: source.tokens.eos,
    messages: messages.map(toTemplateMessage),
    add_generation_prompt: add,
    ...(list ? { tools: list } : {}),
  };
}

/** The message shape transformers passes to chat templates (tool-call arguments as objects). */
function toTemplateMessage(message: Message): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role, content: message.content };
  if (message.tool_calls?.length) {
    out.tool_calls = message.tool_calls.map((call) => ({
      type: "function",
      ...(call.id ? { id: call.id } : {}),
      function: { name: call.name, arguments: parseJsonOr(call.arguments) },
    }));
  }
  if (message.tool_call_id) out.tool_call_id = message.tool_call_id;
  // The key transformers' templates read thinking from (Qwen3, DeepSeek-R1 and others).
  if (message.reasoning !== undefined) out.reasoning_content = message.reasoning;
  return out;
}

function renderOrFail(render: () => string, origin: string): string {
  try {
    return render();
  } catch (error) {
    // A template's raise_exception (e.g. "roles must alternate") is about this row, not the template.
    throw new FailedError("template-render-failed", `${origin}: ${messageOf(error)}`);
  }
}

/** A row problem: thinking the template silently drops would train answers without their reasoning. */
function dropsReasoning(origin: string, index: number): FailedError {
  return new FailedError(
    "template-render-failed",
    `${origin}: the chat template does not write messages[${index}]'s reasoning (reasoning_content); ` +
      `set the dataset's reasoning: drop to train without it, or use a built-in template (<think> blocks)`,
  );
}

function notPrefixStable(origin: string, index: number): UsageError {
  return new UsageError(
    "template-not-prefix-stable",
    `the chat template ${origin} renders messages[${index}] differently once the conversation continues, ` +
      `so the assistant spans to train on cannot be found`,
    { hint: "use --template chatml, llama3 or alpaca, or a chat template that only appends turns" },
  );
}

import type { CanonicalRecord, Message } from "../types.js";

// `{{name}}` is a template variable wherever it appears outside code.
const DOUBLE = /\{\{\s*[A-Za-z_][\w.]*\s*\}\}/;
// `{name}` is only taken as one in prose: lowercase identifier, not part of LaTeX, code or JSON.
const SINGLE = /(?<![\w$\\{}])\{[a-z][a-z0-9_]{2,}\}(?!\})/;
const CODE = /```|[=;<>$%"]|\bdef |\bfunction\b|print\(|\.format\(/;
const CODE_SPANS = /```[\s\S]*?```|`[^`\n]*`/g;

/** The first unfilled template placeholder in the record's prose, or undefined. */
export function findPlaceholder(record: CanonicalRecord): string | undefined {
  if (record.kind === "text") return placeholderIn(record.text);
  if (record.kind === "chat") return inMessages(record.messages);
  if (record.kind === "feedback") return inMessages(record.prompt) ?? inMessages(record.completion);
  return inMessages(record.prompt) ?? inMessages(record.chosen) ?? inMessages(record.rejected);
}

function inMessages(messages: Message[]): string | undefined {
  for (const message of messages) {
    // Tool results and tool-call arguments are JSON, where braces are structure.
    if (message.role === "tool") continue;
    const found = placeholderIn(message.content);
    if (found) return found;
  }
  return undefined;
}

export function placeholderIn(text: string): string | undefined {
  if (text.indexOf("{") < 0) return undefined;
  const prose = text.includes("`") ? text.replace(CODE_SPANS, " ") : text;
  const double = DOUBLE.exec(prose);
  if (double) return double[0];
  if (CODE.test(prose)) return undefined;
  return SINGLE.exec(prose)?.[0];
}

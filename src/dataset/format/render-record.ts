import { FailedError } from "../../errors/index.js";
import type { CanonicalRecord, FormattedExample, Message, Segment } from "../types.js";
import { context, joinSegments, segmentsText, trained } from "./segments.js";
import type { Template } from "./template.js";

/** A preference pair as DPO-style trainers read it: the rendered prompt and the two completions. */
export interface PreferenceExample {
  /** Everything before the first trained span, generation prompt included. */
  prompt: string;
  /** The rest of the conversation through the chosen (or rejected) answer, end marker included. */
  chosen: string;
  rejected: string;
}

/** Unpaired feedback as KTO trainers read it: the rendered prompt, one completion and its label. */
export interface FeedbackExample {
  prompt: string;
  completion: string;
  /** true: a desirable completion. */
  label: boolean;
}

export type FormattedRow = FormattedExample | PreferenceExample | FeedbackExample;

/** keep: reasoning is written the way the template writes thinking; drop: left out of the text. */
export type ReasoningMode = "keep" | "drop";

export function formatRecord(
  template: Template,
  record: CanonicalRecord,
  reasoning: ReasoningMode = "keep",
): FormattedRow {
  if (reasoning === "drop") record = withoutReasoning(record);
  switch (record.kind) {
    case "text":
      // A text record is trained whole; only the bos before it is context.
      return {
        segments: joinSegments([context(template.tokens.bos), trained(record.text + template.tokens.eos)]),
      };
    case "chat":
      return { segments: template.chat(record.messages, record.tools) };
    case "preference":
      return preferencePair(template, record);
    case "feedback": {
      const rendered = template.chat([...asContext(record.prompt), ...record.completion], record.tools);
      const { prompt, completion } = cutAtFirstTrained(rendered);
      return { prompt, completion, label: record.label };
    }
  }
}

// Earlier assistant turns of a prompt are context: only the answer being compared (or judged) is trained.
function asContext(messages: Message[]): Message[] {
  return messages.map((m) => (m.role === "assistant" ? { ...m, train: false as const } : m));
}

function withoutReasoning(record: CanonicalRecord): CanonicalRecord {
  const strip = (messages: Message[]) => messages.map(({ reasoning: _, ...m }) => m);
  switch (record.kind) {
    case "text":
      return record;
    case "chat":
      return { ...record, messages: strip(record.messages) };
    case "preference":
      return {
        ...record,
        prompt: strip(record.prompt),
        chosen: strip(record.chosen),
        rejected: strip(record.rejected),
      };
    case "feedback":
      return { ...record, prompt: strip(record.prompt), completion: strip(record.completion) };
  }
}

function preferencePair(template: Template, record: Extract<CanonicalRecord, { kind: "preference" }>) {
  const prompt = asContext(record.prompt);
  const chosen = cutAtFirstTrained(template.chat([...prompt, ...record.chosen]));
  const rejected = cutAtFirstTrained(template.chat([...prompt, ...record.rejected]));
  if (chosen.prompt !== rejected.prompt) {
    throw new FailedError(
      "template-render-failed",
      `template ${template.name} renders the prompt differently before the chosen and the rejected answer`,
    );
  }
  return { prompt: chosen.prompt, chosen: chosen.completion, rejected: rejected.completion };
}

function cutAtFirstTrained(segments: Segment[]): { prompt: string; completion: string } {
  const first = segments.findIndex((segment) => segment.train);
  const cut = first === -1 ? segments.length : first;
  return { prompt: segmentsText(segments.slice(0, cut)), completion: segmentsText(segments.slice(cut)) };
}

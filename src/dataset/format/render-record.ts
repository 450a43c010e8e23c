import { FailedError } from "../../errors/index.js";
import type { CanonicalRecord, FormattedExample, Segment } from "../types.js";
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

export type FormattedRow = FormattedExample | PreferenceExample;

export function formatRecord(template: Template, record: CanonicalRecord): FormattedRow {
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
  }
}

function preferencePair(template: Template, record: Extract<CanonicalRecord, { kind: "preference" }>) {
  const chosen = cutAtFirstTrained(template.chat([...record.prompt, ...record.chosen]));
  const rejected = cutAtFirstTrained(template.chat([...record.prompt, ...record.rejected]));
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

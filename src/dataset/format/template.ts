import type { Message, Segment } from "../types.js";

export const TEMPLATE_NAMES = ["alpaca", "chatml", "llama3", "model"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Special-token texts written into the formatted text (the trainer tokenizes without adding its own). */
export interface SpecialTokens {
  /** Written once at the start of every example; "" when the model has none. */
  bos: string;
  /** Ends a text record (and an Alpaca response); trained, so the model learns to stop. */
  eos: string;
}

/** A prompt/chat template: turns a conversation into trained (assistant) and context spans. */
export interface Template {
  name: TemplateName;
  tokens: SpecialTokens;
  /** Texts generation should stop at: the end-of-turn marker the trained spans end with. */
  stop: string[];
  /** Everything besides name and tokens that changes the rendered text (e.g. the Jinja source hash). */
  fingerprint: Record<string, string>;
  /** Where the tokens and template came from (a model directory's files); absent for built-in defaults. */
  origin?: string;
  /** Renders a conversation; `tools` is the record's tool definitions as JSON text. */
  chat(messages: readonly Message[], tools?: string): Segment[];
}

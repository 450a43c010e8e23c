/**
 * The canonical forms every accepted dataset format is normalized to, and the formatted form the trainer
 * reads. Readers (validate) produce CanonicalRecords; templates (format) turn them into FormattedExamples.
 */
export type Role = "system" | "user" | "assistant" | "tool";

export interface ToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments, as OpenAI-style messages carry them. */
  arguments: string;
}

export interface Message {
  role: Role;
  content: string;
  tool_calls?: ToolCall[];
  /** For tool results: which call this answers. */
  tool_call_id?: string;
  /** An assistant turn's thinking (LLaMA-Factory v1 `reasoning` parts), rendered before its answer. */
  reasoning?: string;
  /** false: an assistant turn kept as context, not trained (`loss_weight: 0`, OpenAI's `weight: 0`). */
  train?: false;
}

export type CanonicalRecord =
  | { kind: "chat"; messages: Message[]; tools?: string }
  | { kind: "text"; text: string }
  | { kind: "preference"; prompt: Message[]; chosen: Message[]; rejected: Message[] }
  /** Unpaired feedback (KTO): one answer to the prompt, marked desirable (true) or not. */
  | { kind: "feedback"; prompt: Message[]; completion: Message[]; label: boolean; tools?: string };

/** One line of a formatted train.jsonl / eval.jsonl: the rendered text cut into trained and untrained spans. */
export interface Segment {
  text: string;
  /** true: the loss is computed on these tokens (assistant turns); false: context only. */
  train: boolean;
}
export interface FormattedExample {
  segments: Segment[];
}

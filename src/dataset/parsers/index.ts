import type { CanonicalRecord } from "../types.js";
import type { Issue } from "../problems.js";
import { parseAlpaca } from "./alpaca.js";
import { parseFeedback } from "./feedback.js";
import type { Row } from "./fields.js";
import { parseMessages } from "./messages.js";
import { parsePreference } from "./preference.js";
import { parseShareGpt } from "./sharegpt.js";
import { parseText } from "./text.js";

export type DatasetFormat = "auto" | "alpaca" | "sharegpt" | "messages" | "text" | "preference" | "kto";
export type ConcreteFormat = Exclude<DatasetFormat, "auto">;

export const PARSERS: Record<ConcreteFormat, (row: Row, issues: Issue[]) => CanonicalRecord | undefined> = {
  alpaca: parseAlpaca,
  sharegpt: parseShareGpt,
  messages: parseMessages,
  text: parseText,
  preference: parsePreference,
  kto: parseFeedback,
};

/** The key that marks each format, for messages that say why a row was taken for one. */
export const FORMAT_KEYS: Record<ConcreteFormat, string> = {
  preference: "chosen/rejected",
  kto: "messages/label",
  messages: "messages",
  sharegpt: "conversations",
  alpaca: "instruction/output",
  text: "text",
};

/** Which format one row looks like, from its keys alone; undefined when it looks like none. */
export function detectRowFormat(row: unknown): ConcreteFormat | undefined {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return undefined;
  if ("chosen" in row && "rejected" in row) return "preference";
  if ("chosen_messages" in row && "rejected_messages" in row) return "preference";
  if ("messages" in row && "label" in row) return "kto";
  if ("messages" in row) return "messages";
  if ("conversations" in row) return "sharegpt";
  if ("instruction" in row || "output" in row) return "alpaca";
  if ("text" in row) return "text";
  return undefined;
}

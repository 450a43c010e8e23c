import type { CanonicalRecord } from "../types.js";
import type { Issue } from "../problems.js";
import { checkKeys, METADATA_KEYS, readText, type Row } from "./fields.js";

const KEYS = new Set(["text", ...METADATA_KEYS]);

/** Plain `{text}` rows for continued pre-training: the whole text is the target. */
export function parseText(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "a text row");
  const text = readText(row, "text", "", issues, { required: true, target: true });
  return issues.length === 0 && text !== undefined ? { kind: "text", text } : undefined;
}

import type { CanonicalRecord, Message } from "../types.js";
import { joinPath, type Issue } from "../problems.js";
import { checkKeys, issue, METADATA_KEYS, readText, type Row } from "./fields.js";

const KEYS = new Set(["instruction", "input", "output", "system", "history", ...METADATA_KEYS]);

/**
 * Alpaca {instruction, input, output, system?, history?}. The user turn is the instruction, then the
 * input after a blank line (LLaMA-Factory joins them the same way); history pairs come first.
 */
export function parseAlpaca(row: Row, issues: Issue[]): CanonicalRecord | undefined {
  checkKeys(row, KEYS, "", issues, "an Alpaca row");
  const instruction = readText(row, "instruction", "", issues, { required: true });
  const input = readText(row, "input", "", issues);
  const output = readText(row, "output", "", issues, { required: true, target: true });
  const system = readText(row, "system", "", issues);
  const history = readHistory(row.history, issues);
  if (instruction !== undefined && instruction.trim() === "" && !input?.trim()) {
    issue(
      issues,
      "instruction",
      "missing-content",
      "instruction and input are both empty: there is no prompt; write the instruction",
    );
  }
  if (issues.length > 0 || instruction === undefined || output === undefined || !history) return undefined;
  const messages: Message[] = system ? [{ role: "system", content: system }] : [];
  messages.push(...history);
  // join() builds a flat string; a `+` concatenation would be a rope that is slow to scan later.
  const prompt = input?.trim() ? (instruction ? [instruction, input].join("\n\n") : input) : instruction;
  messages.push({ role: "user", content: prompt }, { role: "assistant", content: output });
  return { kind: "chat", messages };
}

/** `history`: earlier turns as [[user, assistant], ...]. */
function readHistory(value: unknown, issues: Issue[]): Message[] | undefined {
  if (value === undefined || value === null) return [];
  const hint = `"history" must be a list of [user, assistant] string pairs`;
  if (!Array.isArray(value)) {
    issue(issues, "history", "wrong-type", hint);
    return undefined;
  }
  const messages: Message[] = [];
  value.forEach((pair, i) => {
    if (
      Array.isArray(pair) &&
      pair.length === 2 &&
      typeof pair[0] === "string" &&
      typeof pair[1] === "string"
    ) {
      messages.push({ role: "user", content: pair[0] }, { role: "assistant", content: pair[1] });
    } else issue(issues, joinPath("history", i), "wrong-type", hint);
  });
  return messages.length === value.length * 2 ? messages : undefined;
}

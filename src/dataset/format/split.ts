import { createHash } from "node:crypto";
import type { CanonicalRecord } from "../types.js";

/**
 * Whether a record goes to eval: a hash of the seed and the record's content, compared with the
 * fraction. The side depends on neither row order nor file size, and duplicates (equal after
 * whitespace normalization, as the validator counts them) always land together, so eval never holds
 * a copy of a train row. The eval share is therefore close to, not exactly, the fraction.
 */
export function isEval(record: CanonicalRecord, seed: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  const digest = createHash("sha256").update(`${seed}\n`).update(recordKey(record)).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48 < fraction;
}

/** The record as JSON with sorted keys and whitespace-normalized strings, built in one pass. */
export function recordKey(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.replace(/\s+/g, " ").trim());
  if (Array.isArray(value)) return `[${value.map(recordKey).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${recordKey(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

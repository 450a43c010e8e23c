import { createHash, type Hash } from "node:crypto";
import type { CanonicalRecord } from "../types.js";

/**
 * Whether a record goes to eval: a hash of the seed and the record's content, compared with the
 * fraction. The side depends on neither row order nor file size, and duplicates (equal after
 * whitespace normalization, as the validator counts them) always land together, so eval never holds
 * a copy of a train row. The eval share is therefore close to, not exactly, the fraction.
 */
export function isEval(record: CanonicalRecord, seed: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  const hash = createHash("sha256").update(`${seed}\n`);
  feed(hash, record);
  return hash.digest().readUIntBE(0, 6) / 2 ** 48 < fraction;
}

/**
 * Feeds a value to the hash with sorted keys and whitespace-normalized strings. Strings are
 * length-prefixed instead of JSON-escaped (as unambiguous, and no copy of large texts).
 */
function feed(hash: Hash, value: unknown): void {
  if (typeof value === "string") {
    const text = normalizeSpace(value);
    hash.update(`s${text.length}:`).update(text);
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length}:`);
    for (const item of value) feed(hash, item);
  } else if (value && typeof value === "object") {
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
    hash.update(`o${keys.length}:`);
    for (const key of keys.sort()) {
      feed(hash, key);
      feed(hash, (value as Record<string, unknown>)[key]);
    }
  } else {
    hash.update(`v${JSON.stringify(value) ?? "null"};`);
  }
}

// Most strings need no change; testing first is several times cheaper than always replacing.
function normalizeSpace(text: string): string {
  return /\s\s|[^\S ]|^ | $/.test(text) ? text.replace(/\s+/g, " ").trim() : text;
}

import type { Issue } from "../problems.js";
import type { ParsedRow } from "../read-records.js";
import type { CanonicalRecord } from "../types.js";
import { findPlaceholder } from "./placeholders.js";
import { RecordHasher } from "./record-hash.js";
import { charCount, trainedMessages } from "./stats.js";
import type { CountTokens } from "./tokens.js";

const ROLE_SLOT = { system: 0, user: 1, assistant: 2, tool: 3 } as const;

/**
 * What the file-wide checks need of a batch of rows, worked out row by row without any file-wide state, so
 * a batch can be made in a worker thread and folded in on the main thread in file order. Numbers sit in
 * typed arrays (moved between threads without copying); the rare text (problems, placeholders) in arrays
 * of [row, value] pairs.
 */
export interface FactsBatch {
  rows: number;
  /** Lines of the file the batch covers (blank ones included); JSON Lines batches from a worker only. */
  lines: number;
  locations: Int32Array;
  /** 1 when the row holds a usable record; the fields below are set only for those rows. */
  valid: Uint8Array;
  high: Uint32Array;
  low: Uint32Array;
  turns: Uint32Array;
  chars: Float64Array;
  tokens: Float64Array;
  /** Per row: trained messages with the role system, user, assistant, tool. */
  roles: Uint32Array;
  issues: [row: number, issues: Issue[]][];
  notes: [row: number, note: string][];
  placeholders: [row: number, placeholder: string][];
  identicalPairs: number[];
}

export function emptyBatch(capacity: number): FactsBatch {
  return {
    rows: 0,
    lines: 0,
    locations: new Int32Array(capacity),
    valid: new Uint8Array(capacity),
    high: new Uint32Array(capacity),
    low: new Uint32Array(capacity),
    turns: new Uint32Array(capacity),
    chars: new Float64Array(capacity),
    tokens: new Float64Array(capacity),
    roles: new Uint32Array(capacity * 4),
    issues: [],
    notes: [],
    placeholders: [],
    identicalPairs: [],
  };
}

/** The buffers of a batch, to move it to another thread instead of copying it. */
export function transferList(batch: FactsBatch): ArrayBuffer[] {
  const { locations, valid, high, low, turns, chars, tokens, roles } = batch;
  return [locations, valid, high, low, turns, chars, tokens, roles].map((a) => a.buffer as ArrayBuffer);
}

/** Works out the facts of parsed rows; one per thread (it reuses one hasher). */
export class RowFacts {
  private readonly hasher = new RecordHasher();

  constructor(private readonly countTokens?: CountTokens) {}

  batch(rows: ParsedRow[]): FactsBatch {
    const batch = emptyBatch(rows.length);
    for (const row of rows) this.add(batch, row);
    return batch;
  }

  private add(batch: FactsBatch, row: ParsedRow): void {
    const i = batch.rows++;
    batch.locations[i] = row.location;
    if (row.issues.length > 0) batch.issues.push([i, row.issues]);
    const record = row.record;
    if (!record) return;
    batch.valid[i] = 1;
    if (row.notes) batch.notes.push([i, row.notes.join("; ")]);
    this.hasher.hash(record);
    batch.high[i] = this.hasher.high;
    batch.low[i] = this.hasher.low;
    const placeholder = findPlaceholder(record);
    if (placeholder) batch.placeholders.push([i, placeholder]);
    if (
      record.kind === "preference" &&
      charCount(record.chosen) === charCount(record.rejected) &&
      JSON.stringify(record.chosen) === JSON.stringify(record.rejected)
    ) {
      batch.identicalPairs.push(i);
    }
    this.measure(batch, i, record);
  }

  private measure(batch: FactsBatch, i: number, record: CanonicalRecord): void {
    const messages = trainedMessages(record);
    const chars = record.kind === "text" ? record.text.length : charCount(messages);
    const count = this.countTokens;
    const text = count
      ? record.kind === "text"
        ? record.text
        : messages.map((m) => m.content).join("\n")
      : "";
    batch.turns[i] = record.kind === "text" ? 1 : messages.length;
    batch.chars[i] = chars;
    batch.tokens[i] = count ? count(text) : Math.ceil(chars / 4);
    for (const message of messages) {
      const slot = i * 4 + ROLE_SLOT[message.role];
      batch.roles[slot] = batch.roles[slot]! + 1;
    }
  }
}

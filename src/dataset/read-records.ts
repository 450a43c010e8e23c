import { stat } from "node:fs/promises";
import { findControls } from "./checks/control.js";
import { DETECT_ROWS, detectFormat, type Detection } from "./detect.js";
import { describe, isObject } from "./parsers/fields.js";
import {
  detectRowFormat,
  FORMAT_KEYS,
  PARSERS,
  type ConcreteFormat,
  type DatasetFormat,
} from "./parsers/index.js";
import { placeIssue, type Issue, type LocationKind, type RowProblem } from "./problems.js";
import { openRows } from "./read/open-rows.js";
import type { ByteCount, RawRow, RowSource } from "./read/raw-row.js";
import type { CanonicalRecord } from "./types.js";

export interface ParsedRow {
  location: number;
  record: CanonicalRecord | undefined;
  issues: Issue[];
  /** Usable but odd (form feeds, vertical tabs), as `path: detail`. */
  notes?: string[];
}

export interface ParsedSource {
  /** The local file read. */
  file: string;
  kind: LocationKind;
  layout: string;
  /** The format rows are read as; undefined when auto found none. */
  format: ConcreteFormat | undefined;
  /** How the format was chosen, for the report. */
  reason: string;
  batches: AsyncIterable<ParsedRow[]>;
  /** Bytes of the file read so far, for progress; absent where unknown (Parquet). */
  read?: ByteCount;
  /** Stops reading without reading the rest (the rows are then read another way). */
  close(): Promise<void>;
}

/** Rows held back while auto-detection looks at the first ones; bounded so memory stays constant. */
const MAX_HELD_ROWS = 1000;

export async function parseSource(source: RowSource, requested: DatasetFormat): Promise<ParsedSource> {
  const iterator = source.batches[Symbol.asyncIterator]();
  const held: RawRow[][] = [];
  let detection: Detection | undefined;
  if (requested === "auto") {
    let heldRows = 0;
    let recognized = 0;
    while (recognized < DETECT_ROWS && heldRows < MAX_HELD_ROWS) {
      const next = await iterator.next();
      if (next.done) break;
      held.push(next.value);
      heldRows += next.value.length;
      recognized += next.value.filter((row) => detectRowFormat(row.value)).length;
    }
    detection = detectFormat(held.flat().map((row) => row.value));
  }
  const format = requested === "auto" ? detection?.format : requested;
  const reason =
    requested === "auto"
      ? `auto: ${detection?.reason ?? "no row looks like a known format"}`
      : `--format ${requested}`;
  return {
    file: source.file,
    kind: source.kind,
    layout: source.layout,
    format,
    reason,
    batches: parseBatches(held, iterator, format, reason),
    read: source.read,
    close: async () => void (await iterator.return?.()),
  };
}

async function* parseBatches(
  held: RawRow[][],
  rest: AsyncIterator<RawRow[]>,
  format: ConcreteFormat | undefined,
  reason: string,
): AsyncGenerator<ParsedRow[]> {
  try {
    // Shift, so the rows held for detection are freed as soon as they are passed on.
    for (let batch = held.shift(); batch; batch = held.shift())
      yield batch.map((row) => parseRow(row, format, reason));
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      yield next.value.map((row) => parseRow(row, format, reason));
    }
  } finally {
    // A consumer that stops early (break, throw) must not leave the file open.
    await rest.return?.();
  }
}

export function parseRow(raw: RawRow, format: ConcreteFormat | undefined, reason: string): ParsedRow {
  const issues: Issue[] = [];
  const result: ParsedRow = { location: raw.location, record: undefined, issues };
  if (raw.issue) issues.push(raw.issue);
  else if (!isObject(raw.value)) {
    issues.push({
      path: "",
      code: "not-object",
      message: `the row is ${describe(raw.value)}; each row must be a JSON object`,
    });
  } else if (!format) {
    const keys = Object.keys(raw.value).slice(0, 6).join(", ") || "none";
    const message = `the row matches no known format (keys: ${keys}); use alpaca, sharegpt, messages, text, preference or KTO keys, or pass --format`;
    issues.push({ path: "", code: "unknown-format", message });
  } else {
    const looksLike = detectRowFormat(raw.value);
    if (looksLike && looksLike !== format) {
      const message = `this row looks like ${looksLike} ("${FORMAT_KEYS[looksLike]}") but the file is read as ${format} (${reason}); keep one format per file`;
      issues.push({ path: "", code: "format-mismatch", message });
    } else result.record = PARSERS[format](raw.value, issues);
    if (raw.suspect) {
      const found = findControls(raw.value);
      issues.push(...found.issues);
      if (found.notes.length > 0) result.notes = found.notes;
    }
  }
  if (issues.length > 0) result.record = undefined;
  return result;
}

export interface RecordRow {
  /** 1-based line (JSON Lines) or 0-based element index (JSON array). */
  location: number;
  /** null when the row is invalid; `problems` says why. */
  record: CanonicalRecord | null;
  problems: RowProblem[];
}

/** Streams every row of a dataset file as a canonical record, in constant memory. */
export async function* readRecords(
  path: string,
  options: { format?: DatasetFormat; onProgress?: (bytes: number, total: number) => void } = {},
): AsyncGenerator<RecordRow> {
  const source = await parseSource(await openRows(path), options.format ?? "auto");
  const total = options.onProgress && source.read ? (await stat(source.file)).size : 0;
  for await (const batch of source.batches) {
    for (const row of batch) {
      const problems = row.issues.map((issue) => placeIssue(issue, source.kind, row.location));
      yield { location: row.location, record: row.record ?? null, problems };
    }
    if (source.read) options.onProgress?.(source.read.bytes, total);
  }
}

/** The format of a file as auto-detection sees it from its first rows, without reading the rest. */
export async function detectFileFormat(path: string): Promise<Detection | undefined> {
  const source = await parseSource(await openRows(path), "auto");
  for await (const _ of source.batches) break;
  return source.format && { format: source.format, reason: source.reason };
}

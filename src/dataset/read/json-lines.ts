import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { invalidUtf8Row, parseRow, type RawRow } from "./raw-row.js";
import { firstInvalidUtf8 } from "./utf8.js";

/**
 * Large enough that the per-chunk work (read, UTF-8 check) amortizes, small enough that a batch's
 * parsed rows die young: 4 MiB batches measured slower, their rows outlived the young generation.
 */
export const CHUNK_BYTES = 256 << 10;
const NEWLINE = 10;

export interface LineState {
  line: number;
  first: boolean;
}

/**
 * Reads a JSON Lines file in batches of parsed rows, holding at most one chunk plus one partial line.
 * Line numbers are 1-based and count blank lines, so they match what an editor shows.
 */
export async function* readJsonLines(path: string): AsyncGenerator<RawRow[]> {
  const state: LineState = { line: 0, first: true };
  for await (const parts of wholeLineChunks(path, CHUNK_BYTES))
    yield splitLines(parts.length === 1 ? parts[0]! : Buffer.concat(parts), state);
}

/**
 * A file in runs of whole lines (the last may lack its newline), each as the pieces read: the end of a line
 * carried over from earlier chunks, then the chunk up to its last newline.
 */
export async function* wholeLineChunks(path: string, chunkBytes: number): AsyncGenerator<Buffer[]> {
  let pending: Buffer[] = [];
  // A stream rather than read() calls: it reads the next chunk while this one is parsed.
  const stream = createReadStream(path, { highWaterMark: chunkBytes });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const end = chunk.lastIndexOf(NEWLINE);
    if (end < 0) {
      pending.push(chunk);
      continue;
    }
    const parts = [...pending, chunk.subarray(0, end + 1)];
    pending = end + 1 < chunk.length ? [chunk.subarray(end + 1)] : [];
    yield parts;
  }
  if (pending.length > 0) yield pending;
}

/** The rows of whole lines; `state.line` counts the lines passed (1-based numbers of the next). */
export function splitLines(bytes: Buffer, state: LineState): RawRow[] {
  let from = 0;
  if (state.first) {
    state.first = false;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
  }
  // The common case is one native check for the whole chunk; a chunk that fails it is checked line
  // by line, so only the bad lines are rejected.
  const valid = isUtf8(from === 0 ? bytes : bytes.subarray(from));
  const rows: RawRow[] = [];
  while (from < bytes.length) {
    let newline = bytes.indexOf(NEWLINE, from);
    if (newline < 0) newline = bytes.length;
    state.line++;
    let end = newline;
    if (end > from && bytes[end - 1] === 13) end--;
    const bad = valid ? -1 : firstInvalidUtf8(bytes.subarray(from, end));
    if (bad >= 0) rows.push(invalidUtf8Row(state.line, bad, bytes[from + bad]!, "line"));
    else if (end > from) {
      // Decoding each line on its own keeps ASCII lines one byte per character, which makes them
      // faster to parse and to hash than slices of one chunk-wide UTF-16 string.
      const text = bytes.toString("utf8", from, end);
      if (!isBlank(text)) rows.push(parseRow(text, state.line, "line"));
    }
    from = newline + 1;
  }
  return rows;
}

function isBlank(line: string): boolean {
  return line.charCodeAt(0) <= 32 && line.trim().length === 0;
}

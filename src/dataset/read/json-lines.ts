import { isUtf8 } from "node:buffer";
import { createReadStream, readSync } from "node:fs";
import { invalidUtf8Row, parseRow, type ByteCount, type RawRow } from "./raw-row.js";
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
export async function* readJsonLines(path: string, read: ByteCount = { bytes: 0 }): AsyncGenerator<RawRow[]> {
  const state: LineState = { line: 0, first: true };
  for await (const parts of wholeLineChunks(path, CHUNK_BYTES)) {
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    read.bytes += bytes.length;
    yield splitLines(bytes, state);
  }
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

/**
 * Reads the whole lines of a file that start in one byte range, so threads can each read their own ranges
 * of a JSON Lines file without anyone splitting it for them: a line belongs to the range its first byte is
 * in, so ranges that tile the file give every line once. The bytes returned are the reader's own buffer,
 * valid until its next read.
 */
export class LineRangeReader {
  private buffer: Buffer;
  private readonly slack: number;

  constructor(
    private readonly fd: number,
    rangeBytes: number,
  ) {
    this.slack = Math.min(rangeBytes, RANGE_SLACK);
    this.buffer = Buffer.allocUnsafe(rangeBytes + this.slack);
  }

  /** The lines that start in [start, end): from the first line start at or after `start` to the end of the line holding byte end - 1. */
  read(start: number, end: number): Buffer {
    // From the byte before `start`: a newline there means a line starts at `start`.
    const from = start > 0 ? start - 1 : 0;
    let filled = this.fill(from, 0, end - from + this.slack);
    let first = 0;
    if (start > 0) {
      const newline = this.buffer.subarray(0, Math.min(filled, end - from)).indexOf(NEWLINE);
      if (newline < 0) return this.buffer.subarray(0, 0);
      first = newline + 1;
    }
    // The last line is the one holding byte end - 1; it may run past the range, and past what was read.
    let searched = end - 1 - from;
    for (;;) {
      const newline = this.buffer.subarray(0, filled).indexOf(NEWLINE, searched);
      if (newline >= 0) return this.buffer.subarray(first, newline + 1);
      searched = filled;
      const more = this.fill(from + filled, filled, this.buffer.length);
      if (more === filled) return this.buffer.subarray(first, filled); // the file's last line, without a newline
      filled = more;
    }
  }

  /** Reads from file offset `position` into the buffer at `at` (growing it if full), up to `want` bytes in all; returns the bytes held. */
  private fill(position: number, at: number, want: number): number {
    if (at >= this.buffer.length) {
      const grown = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(grown, 0, 0, at);
      this.buffer = grown;
      want = grown.length;
    }
    let held = at;
    const limit = Math.min(want, this.buffer.length);
    while (held < limit) {
      const read = readSync(this.fd, this.buffer, held, limit - held, position + held - at);
      if (read === 0) break;
      held += read;
    }
    return held;
  }
}

/** Read past a range's end at once (up to the range's own size), so that its last line is usually whole without a second read. */
const RANGE_SLACK = 64 << 10;

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

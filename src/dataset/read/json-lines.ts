import { isUtf8 } from "node:buffer";
import { open } from "node:fs/promises";
import { invalidUtf8Row, parseRow, type RawRow } from "./raw-row.js";
import { firstInvalidUtf8 } from "./utf8.js";

/** Large reads: the per-chunk work (read, UTF-8 check) is native and amortizes well. */
export const CHUNK_BYTES = 64 << 10;
const NEWLINE = 10;

interface LineState {
  line: number;
  first: boolean;
}

/**
 * Reads a JSON Lines file in batches of parsed rows, holding one buffer of at least CHUNK_BYTES (more
 * only for a longer line). Line numbers are 1-based and count blank lines, so they match what an
 * editor shows.
 */
export async function* readJsonLines(path: string): AsyncGenerator<RawRow[]> {
  const state: LineState = { line: 0, first: true };
  const handle = await open(path, "r");
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let kept = 0; // the start of a line whose end is not read yet
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null);
      const end = kept + bytesRead;
      // Whole lines only, except at the end of the file, where the last line may lack its newline.
      const whole = bytesRead === 0 ? end : buffer.lastIndexOf(NEWLINE, end - 1) + 1;
      // Rows are decoded into strings here, so the buffer can be reused once the batch is yielded.
      if (whole > 0) yield splitLines(buffer.subarray(0, whole), state);
      if (bytesRead === 0) return;
      kept = buffer.copy(buffer, 0, whole, end);
    }
  } finally {
    await handle.close();
  }
}

function splitLines(bytes: Buffer, state: LineState): RawRow[] {
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

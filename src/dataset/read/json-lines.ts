import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { invalidUtf8Row, parseRow, type RawRow } from "./raw-row.js";
import { firstInvalidUtf8 } from "./utf8.js";

/** Large reads: the per-chunk work (UTF-8 check, decode) is native and amortizes well. */
export const CHUNK_BYTES = 256 << 10;
const NEWLINE = 10;

interface LineState {
  line: number;
  first: boolean;
}

/**
 * Reads a JSON Lines file in batches of parsed rows, holding at most one chunk plus one partial line.
 * Line numbers are 1-based and count blank lines, so they match what an editor shows.
 */
export async function* readJsonLines(path: string): AsyncGenerator<RawRow[]> {
  const state: LineState = { line: 0, first: true };
  let pending: Buffer[] = [];
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const end = chunk.lastIndexOf(NEWLINE);
    if (end < 0) {
      pending.push(chunk);
      continue;
    }
    const complete = chunk.subarray(0, end + 1);
    const head = pending.length > 0 ? Buffer.concat([...pending, complete]) : complete;
    pending = end + 1 < chunk.length ? [chunk.subarray(end + 1)] : [];
    yield splitLines(head, state);
  }
  if (pending.length > 0) yield splitLines(Buffer.concat(pending), state);
}

function splitLines(bytes: Buffer, state: LineState): RawRow[] {
  let from = 0;
  if (state.first) {
    state.first = false;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) from = 3;
  }
  // The common case is one native check and one decode for the whole chunk.
  const body = from === 0 ? bytes : bytes.subarray(from);
  return isUtf8(body) ? splitText(body.toString("utf8"), state) : splitBytes(body, state);
}

function splitText(text: string, state: LineState): RawRow[] {
  const rows: RawRow[] = [];
  let from = 0;
  while (from < text.length) {
    let newline = text.indexOf("\n", from);
    if (newline < 0) newline = text.length;
    state.line++;
    let end = newline;
    if (end > from && text.charCodeAt(end - 1) === 13) end--;
    if (end > from) {
      const line = text.slice(from, end);
      if (!isBlank(line)) rows.push(parseRow(line, state.line, "line"));
    }
    from = newline + 1;
  }
  return rows;
}

/** The slow path for a chunk holding invalid UTF-8: line by line, so only the bad lines are rejected. */
function splitBytes(bytes: Buffer, state: LineState): RawRow[] {
  const rows: RawRow[] = [];
  let from = 0;
  while (from < bytes.length) {
    let newline = bytes.indexOf(NEWLINE, from);
    if (newline < 0) newline = bytes.length;
    state.line++;
    let end = newline;
    if (end > from && bytes[end - 1] === 13) end--;
    const line = bytes.subarray(from, end);
    const bad = firstInvalidUtf8(line);
    if (bad >= 0) rows.push(invalidUtf8Row(state.line, bad, line[bad]!, "line"));
    else {
      const text = line.toString("utf8");
      if (!isBlank(text)) rows.push(parseRow(text, state.line, "line"));
    }
    from = newline + 1;
  }
  return rows;
}

function isBlank(line: string): boolean {
  return line.charCodeAt(0) <= 32 && line.trim().length === 0;
}

import { isUtf8 } from "node:buffer";
import { invalidUtf8Row, parseRow, type RawRow } from "./raw-row.js";
import { firstInvalidUtf8 } from "./utf8.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Cuts a JSON array into its elements without building the array: a byte scanner that tracks strings,
 * escapes and nesting depth, and hands each top-level element to JSON.parse. Memory is one chunk plus
 * the element being read. Locations are 0-based element indexes.
 */
export class ArrayScanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private closed = false;
  private index = 0;
  private pieces: Buffer[] = [];
  private trailing = -1;

  push(chunk: Buffer): RawRow[] {
    const rows: RawRow[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (this.closed) {
        if (!isSpace(c) && this.trailing < 0) this.trailing = c;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        if (this.depth === 0) start = i + 1;
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          this.closed = true;
          this.emit(chunk.subarray(start, i), rows, true);
        }
      } else if (c === COMMA && this.depth === 1) {
        this.emit(chunk.subarray(start, i), rows, false);
        start = i + 1;
      }
    }
    if (this.depth > 0 && start < chunk.length) this.pieces.push(chunk.subarray(start));
    return rows;
  }

  /** Problems with the array as a whole, found at the end of the file. */
  finish(): RawRow[] {
    const at = this.index;
    if (!this.closed) {
      const where = this.inString ? "inside a string" : "before the closing ]";
      return [
        fileProblem(at, `the file ends ${where} at element [${at}]; the array is truncated or not closed`),
      ];
    }
    if (this.trailing >= 0) {
      const char = String.fromCharCode(this.trailing);
      return [fileProblem(at, `unexpected "${char}" after the closing ] of the array; remove it`)];
    }
    return [];
  }

  private emit(tail: Buffer, rows: RawRow[], last: boolean): void {
    const bytes = this.pieces.length > 0 ? Buffer.concat([...this.pieces, tail]) : tail;
    this.pieces = [];
    if (last && this.index === 0 && isBlankBytes(bytes)) return; // `[]`
    const location = this.index++;
    if (isBlankBytes(bytes)) {
      const message = last
        ? "trailing comma before ]; remove it"
        : "empty element between commas; remove the extra comma";
      rows.push(fileProblem(location, message));
    } else if (!isUtf8(bytes)) {
      const bad = firstInvalidUtf8(bytes);
      rows.push(invalidUtf8Row(location, bad, bytes[bad]!, "element"));
    } else rows.push(parseRow(bytes.toString("utf8"), location, "element"));
  }
}

function fileProblem(location: number, message: string): RawRow {
  return { location, value: undefined, issue: { path: "", code: "not-json", message } };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isBlankBytes(bytes: Buffer): boolean {
  for (const c of bytes) if (!isSpace(c)) return false;
  return true;
}

import type { Issue, LocationKind } from "../problems.js";
import { findControlCharacter, mayHoldControlEscape } from "./utf8.js";
import { messageOf } from "../../errors/index.js";

/** One row as read from the file: its parsed JSON value, or why it could not be parsed. */
export interface RawRow {
  location: number;
  value: unknown;
  /** Set when the row could not be read or parsed; `value` is then undefined. */
  issue?: Issue;
  /** The JSON text has escapes that may decode to control characters: check the strings. */
  suspect?: boolean;
}

export interface RowSource {
  /** The local file read (an hf:// location once fetched). */
  file: string;
  kind: LocationKind;
  /** How the file was read, for the report: `JSON Lines` or `JSON array`. */
  layout: string;
  batches: AsyncIterable<RawRow[]>;
  /** Bytes of the file the batches have covered so far, for progress; absent where unknown (Parquet). */
  read?: ByteCount;
}

export interface ByteCount {
  bytes: number;
}

/** JSON.parse with the failure turned into a row issue that says what to fix. */
export function parseRow(text: string, location: number, unit: string): RawRow {
  try {
    const value: unknown = JSON.parse(text);
    return mayHoldControlEscape(text) ? { location, value, suspect: true } : { location, value };
  } catch (error) {
    const control = findControlCharacter(text);
    if (control) {
      return {
        location,
        value: undefined,
        issue: {
          path: "",
          code: "control-characters",
          message: `raw control character ${control}; JSON strings cannot hold them unescaped — remove it`,
        },
      };
    }
    const detail = messageOf(error);
    return {
      location,
      value: undefined,
      issue: {
        path: "",
        code: "not-json",
        message: `${detail}; fix the JSON so this ${unit} is one complete value`,
      },
    };
  }
}

export function invalidUtf8Row(location: number, offset: number, byte: number, unit: string): RawRow {
  const hex = byte.toString(16).toUpperCase().padStart(2, "0");
  return {
    location,
    value: undefined,
    issue: {
      path: "",
      code: "invalid-utf8",
      message: `byte ${offset + 1} of the ${unit} (0x${hex}) is not valid UTF-8; re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
    },
  };
}

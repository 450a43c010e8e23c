/**
 * What is wrong with one row. The codes are stable (scripts match on them); the message says what to do.
 * `line` is the 1-based line of a JSON Lines file; `index` the 0-based element of a JSON array.
 */
export type ProblemCode =
  | "not-json"
  | "not-object"
  | "missing-messages"
  | "missing-key"
  | "unknown-key"
  | "unknown-role"
  | "missing-content"
  | "content-not-string"
  | "no-assistant-turn"
  | "empty-target"
  | "invalid-utf8"
  | "control-characters"
  | "wrong-type"
  | "turn-order"
  | "invalid-tool-call"
  | "format-mismatch"
  | "unknown-format"
  | "no-rows";

export interface RowProblem {
  line?: number;
  index?: number;
  /** JSON path inside the row, e.g. `messages[2].role`; empty for the row as a whole. */
  path: string;
  code: ProblemCode;
  message: string;
}

/** A problem found while parsing a row, before it is placed at a line or index. */
export interface Issue {
  path: string;
  code: ProblemCode;
  message: string;
}

export type LocationKind = "line" | "index";

export function placeIssue(issue: Issue, kind: LocationKind, location: number): RowProblem {
  return kind === "line" ? { line: location, ...issue } : { index: location, ...issue };
}

/** `train.jsonl:12` for lines, `train.json[3]` for array elements. */
export function formatLocation(file: string, kind: LocationKind, location: number): string {
  return kind === "line" ? `${file}:${location}` : `${file}[${location}]`;
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

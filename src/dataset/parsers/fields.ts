import { joinPath, type Issue, type ProblemCode } from "../problems.js";
import { findControlCharacter } from "../read/utf8.js";

export type Row = Record<string, unknown>;

/** Keys any row may carry without being part of the training example. */
export const METADATA_KEYS = ["id", "metadata"];

export function isObject(value: unknown): value is Row {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function issue(issues: Issue[], path: string, code: ProblemCode, message: string): void {
  issues.push({ path, code, message });
}

/** Every key that is not expected is an error: a typo like `ouput` would otherwise silently drop data. */
export function checkKeys(
  row: Row,
  allowed: ReadonlySet<string>,
  base: string,
  issues: Issue[],
  what: string,
): void {
  for (const key in row) {
    if (allowed.has(key)) continue;
    const known = [...allowed].filter((k) => !METADATA_KEYS.includes(k)).join(", ");
    issue(
      issues,
      joinPath(base, key),
      "unknown-key",
      `unrecognized key "${key}" in ${what}; expected ${known} — rename or remove it`,
    );
  }
}

export interface TextOptions {
  required?: boolean;
  /** An empty value is a row with nothing to learn from. */
  target?: boolean;
  /** Where the key is, for messages: `the row`, `a turn`. */
  owner?: string;
}

/** Reads an optional or required string field; records what is wrong and returns undefined then. */
export function readText(
  row: Row,
  key: string,
  base: string,
  issues: Issue[],
  options: TextOptions = {},
): string | undefined {
  const path = joinPath(base, key);
  const value = row[key];
  if (value === undefined) {
    if (options.required)
      issue(issues, path, "missing-key", `missing "${key}"; add it to ${options.owner ?? "the row"}`);
    return undefined;
  }
  if (typeof value !== "string") {
    issue(issues, path, "content-not-string", `"${key}" is ${describe(value)}; it must be a string`);
    return undefined;
  }
  if (options.target && value.trim().length === 0) {
    issue(
      issues,
      path,
      "empty-target",
      `"${key}" is empty: there is nothing to learn from; fill it in or drop the row`,
    );
  }
  return value;
}

/** Control characters are checked after the row parsed, only when the fast check over the record fired. */
export function controlIssue(text: string, path: string): Issue | undefined {
  const where = findControlCharacter(text);
  if (!where) return undefined;
  return {
    path,
    code: "control-characters",
    message: `contains the control character ${where}; remove it (it is invisible and confuses tokenizers)`,
  };
}

/** Form feed / vertical tab: usable, but usually a broken escape such as `\frac` read as `\f` + `rac`. */
export function oddWhitespace(text: string): string | undefined {
  const where = findControlCharacter(text, true);
  return (
    where && `${where} (a form feed or vertical tab; often a LaTeX "\\f…" or "\\v…" escaped once too few)`
  );
}

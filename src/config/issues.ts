import { type z } from "zod";
import { type Origins } from "./origins.js";
import { type ProblemList } from "./problems.js";
import { allowedKeys, suggestKey } from "./known-keys.js";

type Issue = z.core.$ZodIssue;

/**
 * Turns zod issues into `file:line › key.path: message` problems, one per unknown key. `keysAt` lists
 * the keys allowed at a path, for "did you mean" hints; run configs by default, other YAML files
 * (eval suites) pass their own.
 */
export function reportIssues(
  issues: readonly Issue[],
  origins: Origins,
  shown: string,
  problems: ProblemList,
  keysAt: (path: readonly PropertyKey[]) => string[] = allowedKeys,
): void {
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        problems.addUnlessClaimed(path, origins.locate(path, shown), unknownKey(key, allowed));
      }
    } else {
      problems.addUnlessClaimed(issue.path, origins.locate(issue.path, shown), describeIssue(issue));
    }
  }
}

function unknownKey(key: string, allowed: string[]): string {
  const near = suggestKey(key, allowed);
  if (near) return `unknown key "${key}"; did you mean "${near}"?`;
  return allowed.length > 0
    ? `unknown key "${key}"; expected one of: ${allowed.join(", ")}`
    : `unknown key "${key}"`;
}

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `required key is missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${show(issue.input)}`;
    case "too_small":
    case "too_big":
      return describeBound(issue);
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" | ")}, got ${show(issue.input)}`;
    case "invalid_union":
      return describeUnion(issue);
    case "custom":
      return issue.message;
    default:
      return issue.input === undefined ? issue.message : `${issue.message}, got ${show(issue.input)}`;
  }
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === "too_small";
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === "array") return `expected ${small ? "at least" : "at most"} ${limit} item(s)`;
  if (issue.origin === "string") {
    return small && limit === 1
      ? "must not be empty"
      : `expected ${small ? "at least" : "at most"} ${limit} characters`;
  }
  const sign = small ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
  return `expected ${sign} ${limit}, got ${String(issue.input)}`;
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion): string {
  const { discriminator, options } = issue as { discriminator?: string; options?: unknown[] };
  if (discriminator === undefined) return `${issue.message}, got ${show(issue.input)}`;
  const input = issue.input as Record<string, unknown> | undefined;
  const expected = (options ?? []).map((o) => JSON.stringify(o)).join(" | ");
  const got = input?.[discriminator];
  return got === undefined
    ? `required key is missing (expected ${expected})`
    : `expected ${expected}, got ${show(got)}`;
}

function show(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "string") {
    const text = value.length > 60 ? `${value.slice(0, 57)}…` : value;
    return `string ${JSON.stringify(text)}`;
  }
  return `${typeof value} ${String(value)}`;
}

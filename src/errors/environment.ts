import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { PipelineError } from "./index.js";
import {
  ENVIRONMENT_RULES,
  ERRNO,
  NAMES,
  type EnvironmentCode,
  type EnvironmentRule,
} from "./environment-rules.js";

export { ENVIRONMENT_RULES, type EnvironmentCode, type EnvironmentRule };

// The functions of the one mapping of the user's environment to errors (the table: environment-rules.ts).

interface SystemFailure {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  path?: unknown;
  dest?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  BucketName?: unknown;
  cause?: unknown;
}

/** The environment failure inside `error` (itself or a cause) as a PipelineError, or undefined. */
export function environmentError(error: unknown): PipelineError | undefined {
  const found = findFailure(error);
  if (!found) return undefined;
  const { failure } = found;
  const code = found.code === "not-found" ? diagnoseMissing(failure) : found.code;
  const rule: EnvironmentRule = ENVIRONMENT_RULES[code];
  // A diagnosed cause replaces the misleading text it was found under.
  const reason = code === found.code ? firstLine(failure.message) : "";
  const where = whereOf(code, failure);
  return new PipelineError(code, `${rule.message(where)}${reason ? ` (${reason})` : ""}`, {
    exitCode: rule.exitCode,
    hint: rule.hint,
    cause: error,
  });
}

/** What to do about an environment code the trainer reported, or undefined for any other code. */
export function environmentRule(code: string): EnvironmentRule | undefined {
  return code in ENVIRONMENT_RULES ? ENVIRONMENT_RULES[code as EnvironmentCode] : undefined;
}

/**
 * Names the path a stream failed on: write streams report ENOSPC and friends without one. Returns the error
 * itself, so `stream.on("error", (e) => (failure = atPath(e, file)))` reads naturally.
 */
export function atPath<T>(error: T, path: string): T {
  const failure = error as SystemFailure | null;
  if (
    failure &&
    typeof failure === "object" &&
    typeof failure.code === "string" &&
    failure.path === undefined
  )
    failure.path = path;
  return error;
}

/** A program that could not be started (execa's failed result or error), as a PipelineError; else undefined. */
export function cannotStart(result: unknown): PipelineError | undefined {
  const mapped = environmentError(result);
  return mapped?.code === "missing-program" ? mapped : undefined;
}

// The deepest failure of the chain that maps: wrappers (execa, the AWS SDK) know less than what they wrap.
function findFailure(
  error: unknown,
  depth = 0,
): { code: EnvironmentCode; failure: SystemFailure } | undefined {
  if (!error || typeof error !== "object" || depth > 5) return undefined;
  const failure = error as SystemFailure;
  const inner = findFailure(failure.cause, depth + 1);
  if (inner) return inner;
  const code = codeOf(failure);
  return code ? { code, failure } : undefined;
}

function codeOf(failure: SystemFailure): EnvironmentCode | undefined {
  const errno = typeof failure.code === "string" ? ERRNO[failure.code] : undefined;
  // A program that cannot be started is not a missing file of the user's.
  if (errno === "not-found" && String(failure.syscall).startsWith("spawn")) return "missing-program";
  return errno ?? (typeof failure.name === "string" ? NAMES[failure.name] : undefined);
}

/**
 * `mkdir -p` says ENOENT when the real trouble is the directory it would create in: read-only, not
 * writable. The nearest existing ancestor tells which.
 */
function diagnoseMissing(failure: SystemFailure): EnvironmentCode {
  if (failure.syscall !== "mkdir" || typeof failure.path !== "string") return "not-found";
  let parent = dirname(failure.path);
  while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
    return "not-found";
  } catch (error) {
    return codeOf(error as SystemFailure) ?? "not-found";
  }
}

function whereOf(code: EnvironmentCode, failure: SystemFailure): string {
  if (code === "missing-program") return String(failure.path ?? String(failure.syscall).slice(6));
  if (typeof failure.path === "string") return failure.path;
  if (typeof failure.hostname === "string") return failure.hostname;
  if (typeof failure.address === "string")
    return failure.port === undefined ? failure.address : `${failure.address}:${String(failure.port)}`;
  if (typeof failure.BucketName === "string") return failure.BucketName;
  if (code === "unreachable") return "the server";
  return code.startsWith("store-") ? "the bucket" : "a file it needed";
}

function firstLine(message: unknown): string {
  return typeof message === "string" ? (message.split("\n")[0] ?? "").slice(0, 300) : "";
}

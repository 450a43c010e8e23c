import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { ExitCode, PipelineError } from "./index.js";

/**
 * The one mapping of the user's environment — the file system, the network, permissions, a missing program,
 * the object store's answers — to errors that name the path or endpoint and say what to do. The top-level
 * handler applies it to anything that is not already a PipelineError, and the trainer's error events carry
 * the same codes (docker/pipeline_trainer/events.py), so "internal error" is left for bugs in pipeline alone.
 */
export interface EnvironmentRule {
  exitCode: ExitCode;
  message: (where: string) => string;
  hint: string;
}

const RESUME = "a run stopped by it continues with `pipeline run --resume <run-id>`";

export const ENVIRONMENT_RULES = {
  "no-space": {
    exitCode: ExitCode.failed,
    message: (where) => `no space left on the device that holds ${where}`,
    hint: `free space on that disk, or write somewhere larger (--runs-dir, output.runs_dir, -o); ${RESUME}`,
  },
  "read-only-fs": {
    exitCode: ExitCode.usage,
    message: (where) => `${where} is on a read-only file system`,
    hint: "write somewhere writable instead (--runs-dir, output.runs_dir, -o), or remount it read-write",
  },
  "permission-denied": {
    exitCode: ExitCode.usage,
    message: (where) => `permission denied: ${where}`,
    hint: "give this user access to it (chown / chmod), or use a path it may write",
  },
  "not-a-directory": {
    exitCode: ExitCode.usage,
    message: (where) => `${where}: a part of this path is a file, where a directory is needed`,
    hint: "rename or remove that file, or choose another path",
  },
  "path-exists": {
    exitCode: ExitCode.usage,
    message: (where) => `${where} already exists (and is not the directory expected there)`,
    hint: "choose a path that does not exist yet, or move the existing one away",
  },
  "is-a-directory": {
    exitCode: ExitCode.usage,
    message: (where) => `${where} is a directory, where a file is needed`,
    hint: "give the path of a file",
  },
  "not-found": {
    exitCode: ExitCode.usage,
    message: (where) => `${where} does not exist`,
    hint: "check the path (relative paths are resolved against the working directory)",
  },
  "missing-program": {
    exitCode: ExitCode.usage,
    message: (where) => `the program ${where} was not found`,
    hint: "install it, or put the directory that holds it on PATH",
  },
  "too-many-open-files": {
    exitCode: ExitCode.failed,
    message: (where) => `too many open files (at ${where})`,
    hint: "raise the limit (`ulimit -n 65536`) and run again",
  },
  "io-error": {
    exitCode: ExitCode.failed,
    message: (where) => `an input/output error on ${where}`,
    hint: "the disk or network file system failed (see `dmesg`); fix it and run again",
  },
  unreachable: {
    exitCode: ExitCode.failed,
    message: (where) => `cannot reach ${where}`,
    hint: "check the address, that the service runs there and that this machine can reach it (proxy, firewall, DNS), then run again",
  },
  "store-no-bucket": {
    exitCode: ExitCode.usage,
    message: (where) => `the bucket ${where} does not exist`,
    hint: "create it, or fix checkpoints.store (and checkpoints.s3.endpoint / --endpoint for a non-AWS store)",
  },
  "store-credentials": {
    exitCode: ExitCode.usage,
    message: () => "the object store refused the credentials",
    hint: "set valid AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for this store",
  },
  "store-access-denied": {
    exitCode: ExitCode.usage,
    message: (where) => `the object store denied access to ${where}`,
    hint: "give these credentials read, write and delete rights on the bucket and prefix",
  },
} satisfies Record<string, EnvironmentRule>;

export type EnvironmentCode = keyof typeof ENVIRONMENT_RULES;

const ERRNO: Record<string, EnvironmentCode> = {
  ENOSPC: "no-space",
  EDQUOT: "no-space",
  EROFS: "read-only-fs",
  EACCES: "permission-denied",
  EPERM: "permission-denied",
  ENOTDIR: "not-a-directory",
  EEXIST: "path-exists",
  EISDIR: "is-a-directory",
  ENOENT: "not-found",
  EMFILE: "too-many-open-files",
  ENFILE: "too-many-open-files",
  EIO: "io-error",
  ECONNREFUSED: "unreachable",
  ECONNRESET: "unreachable",
  ENOTFOUND: "unreachable",
  EAI_AGAIN: "unreachable",
  ETIMEDOUT: "unreachable",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  UND_ERR_CONNECT_TIMEOUT: "unreachable",
  UND_ERR_SOCKET: "unreachable",
};

// The AWS SDK names the store's answers (and its own timeouts) by error name, not errno.
const NAMES: Record<string, EnvironmentCode> = {
  TimeoutError: "unreachable",
  NoSuchBucket: "store-no-bucket",
  InvalidAccessKeyId: "store-credentials",
  SignatureDoesNotMatch: "store-credentials",
  ExpiredToken: "store-credentials",
  InvalidToken: "store-credentials",
  CredentialsProviderError: "store-credentials",
  AccessDenied: "store-access-denied",
};

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

import { ExitCode } from "./index.js";

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

export const ERRNO: Record<string, EnvironmentCode> = {
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
export const NAMES: Record<string, EnvironmentCode> = {
  TimeoutError: "unreachable",
  NoSuchBucket: "store-no-bucket",
  InvalidAccessKeyId: "store-credentials",
  SignatureDoesNotMatch: "store-credentials",
  ExpiredToken: "store-credentials",
  InvalidToken: "store-credentials",
  CredentialsProviderError: "store-credentials",
  AccessDenied: "store-access-denied",
};

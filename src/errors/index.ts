/**
 * The closed set of errors the CLI knows how to print. Anything else that reaches the top-level handler
 * is our bug and is reported as such (exit 70).
 *
 * Exit codes (documented in the README):
 *   0  success (warnings allowed)
 *   1  the thing checked failed: invalid dataset rows, a failed training run, a failed gate, a mismatch
 *   2  usage or input problem the user can fix: bad flag, missing file, invalid config, missing env var
 *   70 internal error (a bug in pipeline)
 *   75 lost: the machine the run trained on went away (a cluster node died); resumable, a queue retries it
 *   130 interrupted (Ctrl-C / SIGTERM); the run is left resumable
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  internal: 70,
  lost: 75,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface Problem {
  /** Where: a file, optionally with line and a JSON/YAML path, e.g. `lora.yaml › lora.r`. */
  location: string;
  message: string;
}

export class PipelineError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  /** Every problem found, when there is more than one; `message` is then a one-line summary. */
  readonly problems: Problem[];
  /** What the user should do next, printed after the message. */
  readonly hint: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCode; problems?: Problem[]; hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.problems = options.problems ?? [];
    this.hint = options.hint;
  }
}

/** Bad flags, arguments, files or environment: the user can fix it. Exit 2. */
export class UsageError extends PipelineError {
  constructor(
    code: string,
    message: string,
    options: { problems?: Problem[]; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, exitCode: ExitCode.usage });
  }
}

/** A config file that does not load or validate. Exit 2. */
export class ConfigError extends PipelineError {
  constructor(
    code: string,
    message: string,
    options: { problems?: Problem[]; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, exitCode: ExitCode.usage });
  }
}

/** The work ran and failed: a training run that crashed, a check that did not pass. Exit 1. */
export class FailedError extends PipelineError {
  constructor(
    code: string,
    message: string,
    options: { problems?: Problem[]; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, exitCode: ExitCode.failed });
  }
}

/** The user interrupted (SIGINT/SIGTERM). Exit 130. */
export class InterruptedError extends PipelineError {
  constructor(message: string, hint?: string) {
    super("interrupted", message, { exitCode: ExitCode.interrupted, hint });
  }
}

/** The run's machine went away under it (a cluster node died); its newest stored checkpoint is intact. Exit 75. */
export class LostError extends PipelineError {
  constructor(message: string, hint?: string) {
    super("lost", message, { exitCode: ExitCode.lost, hint });
  }
}

/** What went wrong, for a message: an Error's own message, or the thrown value as text (a string, say). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isPipelineError(error: unknown): error is PipelineError {
  return error instanceof PipelineError;
}

/** Formats a location the way every message in the project does: `file:line › path`. */
export function locate(file: string, line?: number, path?: string): string {
  const where = line === undefined ? file : `${file}:${line}`;
  return path ? `${where} › ${path}` : where;
}

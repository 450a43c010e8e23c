import { ExitCode, isPipelineError, type PipelineError } from "../errors/index.js";
import { environmentError } from "../errors/environment.js";

const MAX_PROBLEMS = 50;

/**
 * The one top-level handler: prints what happened and what to do, never a stack trace for known errors. A
 * failure of the user's environment (disk full, read-only, unreachable, …) is mapped to one; anything else
 * is a bug in pipeline.
 */
export function reportError(thrown: unknown, options: { json: boolean }): number {
  const error: PipelineError | undefined = isPipelineError(thrown) ? thrown : environmentError(thrown);
  if (error) {
    if (options.json) {
      const { code, message, problems, hint, exitCode } = error;
      process.stdout.write(JSON.stringify({ error: { code, message, problems, hint, exitCode } }) + "\n");
      return error.exitCode;
    }
    const lines = [`error[${error.code}]: ${error.message}`];
    for (const problem of error.problems.slice(0, MAX_PROBLEMS)) {
      lines.push(`  ${problem.location}: ${problem.message}`);
    }
    if (error.problems.length > MAX_PROBLEMS)
      lines.push(`  … and ${error.problems.length - MAX_PROBLEMS} more`);
    if (error.hint) lines.push(`hint: ${error.hint}`);
    process.stderr.write(lines.join("\n") + "\n");
    return error.exitCode;
  }
  const detail = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
  process.stderr.write(
    `internal error: this is a bug in pipeline, not in your input. Please report it with the output below.\n${detail}\n`,
  );
  return ExitCode.internal;
}

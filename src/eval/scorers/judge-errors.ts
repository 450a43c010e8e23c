import { FailedError, UsageError, type PipelineError } from "../../errors/index.js";
import { JudgeCallError } from "./judge-retry.js";

/** What to do about a request the judge's server refused, by status. */
const HINTS: Record<number, string> = {
  400: "the server rejected the request; if it does not support structured output, set `response_format: none`",
  401: "the token was refused: check the variable named by `token_env` (default HF_TOKEN)",
  403: "the token lacks permission for this model or provider: check its scopes",
  404: "check `endpoint` (the base URL, without /v1/chat/completions) and `model`",
  422: "the server rejected the request; if it does not support structured output, set `response_format: none`",
};

/** Turns a failed judge call into the error the CLI prints: refused requests are a setup problem (exit 2). */
export function judgeFailure(error: unknown, caseIndex: number, attempts: number): unknown {
  if (!(error instanceof JudgeCallError)) return error;
  const where = `LLM judge, case ${caseIndex}`;
  if (error.retryable) {
    return new FailedError(
      "judge-unavailable",
      `${where}: ${error.message} (gave up after ${attempts} attempts)`,
      {
        hint: "the judge endpoint is overloaded or down; retry later, or raise `max_retries` / `timeout_s`",
      },
    );
  }
  return new UsageError("judge-rejected", `${where}: ${error.message}`, {
    hint:
      (error.status !== undefined ? HINTS[error.status] : undefined) ??
      "check the judge's options in the suite",
  });
}

export function invalidVerdict(
  caseIndex: number,
  target: string,
  problem: string,
  tries: number,
): PipelineError {
  return new FailedError(
    "judge-verdict-invalid",
    `LLM judge, case ${caseIndex}: ${target} gave no valid verdict in ${tries} tries: ${problem}`,
    {
      hint: 'the judge model must answer {"score": 1-10, "reason": "..."}; try a stronger judge model or a clearer rubric',
    },
  );
}

import { UsageError } from "../../errors/index.js";
import type { ScorerInput } from "../types.js";
import { describeTarget, makeJudgeCall, type JudgeCall } from "./judge-client.js";
import { invalidVerdict, judgeFailure } from "./judge-errors.js";
import { limitConcurrency } from "./judge-limit.js";
import { judgeOptions, type JudgeOptions } from "./judge-options.js";
import { withRetries, type RetryPolicy } from "./judge-retry.js";
import { parseVerdict } from "./judge-verdict.js";
import type { CaseScorer, ScorerDefinition } from "./types.js";

/** How many times a reply that holds no valid verdict is asked again, on top of the first ask. */
const VERDICT_RETRIES = 1;

/**
 * `llm_judge`: a model grades each output against the suite's rubric with a score from 1 to 10. The case
 * score is score / 10, so 0.1 … 1.0 (continuous; a pass rate is a gate on the mean, e.g. ">= 0.7").
 */
export const llmJudge: ScorerDefinition<JudgeOptions> = {
  name: "llm_judge",
  kind: "continuous",
  higherIsBetter: true,
  options: judgeOptions,
  create(options, context) {
    const token = context.env[options.token_env] || undefined;
    if (!token && !options.endpoint) {
      throw new UsageError("judge-token-missing", `LLM judge: ${options.token_env} is not set`, {
        hint: `export ${options.token_env}=<a Hugging Face token> (the suite names the variable in \`token_env\`)`,
      });
    }
    return judgeScorer(makeJudgeCall(options, token), options, { maxRetries: options.max_retries });
  },
};

/** The per-case scorer over any judge call; the policy is open so tests can skip the pauses. */
export function judgeScorer(call: JudgeCall, options: JudgeOptions, policy: RetryPolicy): CaseScorer {
  const limit = limitConcurrency(options.concurrency);
  const target = describeTarget(options);
  return (input) => limit(() => judgeCase(call, input, target, policy));
}

async function judgeCase(call: JudgeCall, input: ScorerInput, target: string, policy: RetryPolicy) {
  let problem = "";
  for (let ask = 0; ask <= VERDICT_RETRIES; ask++) {
    const reply = await withRetries(() => call(input), policy).catch((error: unknown) => {
      throw judgeFailure(error, input.index, policy.maxRetries + 1);
    });
    const parsed =
      reply === undefined
        ? { ok: false as const, problem: "the reply is not a readable chat completion" }
        : parseVerdict(reply);
    if (parsed.ok) return parsed.verdict.score / 10;
    problem = parsed.problem;
  }
  throw invalidVerdict(input.index, target, problem, VERDICT_RETRIES + 1);
}

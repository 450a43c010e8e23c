import { setTimeout as sleep } from "node:timers/promises";

/** A failed call to the judge, sorted for retrying. Its message never holds the token. */
export class JudgeCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "JudgeCallError";
  }
}

export interface RetryPolicy {
  maxRetries: number;
  baseMs?: number;
  capMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** A server asking for a longer pause than this is treated as asking for this long. */
const MAX_RETRY_AFTER_MS = 120_000;

/** Runs `call`, retrying retryable JudgeCallErrors up to `maxRetries` times; rethrows the last one. */
export async function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const pause = policy.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof JudgeCallError) || !error.retryable || attempt >= policy.maxRetries) throw error;
      await pause(backoffMs(attempt, error.retryAfterMs, policy));
    }
  }
}

/**
 * Retry-After when the server sent one; otherwise exponential backoff with "equal jitter" (half fixed,
 * half random), so judges sharing an endpoint do not retry in lockstep.
 */
export function backoffMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: Omit<RetryPolicy, "maxRetries">,
) {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(policy.capMs ?? 30_000, (policy.baseMs ?? 500) * 2 ** attempt);
  return ceiling / 2 + ((policy.random ?? Math.random)() * ceiling) / 2;
}

/** How hard to keep trying: exponential backoff with full jitter, bounded by attempts and by time. */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxDelayMs: number;
  /** Give up once this much time has passed since the first try, whatever the attempts left. */
  maxElapsedMs: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before attempt n+1 (n from 0): uniform in [0, min(max, base·2ⁿ)] — "full jitter". */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseMs * 2 ** attempt));
}

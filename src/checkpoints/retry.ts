import { type RetryPolicy, backoffDelay, sleep } from "../retry/index.js";

export type { RetryPolicy };

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  baseMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 10 * 60_000,
};

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
]);
const TRANSIENT_NAMES = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeTooSkewed",
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "ServiceUnavailable",
  "InternalError",
  "XMinioServerNotInitialized",
  "NoSuchUpload", // an upload aborted under us (e.g. by a server restart): start the file again
]);

/** Network failures, timeouts, throttling and 5xx are worth another try; 4xx (access, no bucket) are not. */
export function isTransient(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    cause?: unknown;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  if (!e || typeof e !== "object") return false;
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429 || status === 408;
  if (e.cause) return isTransient(e.cause);
  // No HTTP response at all: the request never reached a server, or the connection broke mid-way.
  return /socket hang up|ECONNREFUSED|ECONNRESET|EPIPE|timed? ?out|other side closed/i.test(String(error));
}

/** Runs `work` until it succeeds, a non-transient error, or the policy's bound; then throws the last error. */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const delay = backoffDelay(policy, attempt);
      const outOfTime = Date.now() - started + delay > policy.maxElapsedMs;
      if (!isTransient(error) || attempt + 1 >= policy.attempts || outOfTime) throw error;
      onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

import { isHttpUrl } from "../budget/index.js";
import { type RetryPolicy, backoffDelay, parseRetryAfter, sleep } from "../retry/index.js";
import { type NotifyEvent } from "./event.js";
import { buildPayload } from "./payload.js";
import { redactUrl, scrub } from "../secrets/index.js";

export interface NotifyOptions {
  /** Default: 5 attempts, 0.5 s doubling up to 30 s (full jitter), within 2 minutes. */
  policy?: RetryPolicy;
  /** Per attempt, default 10 s. */
  timeoutMs?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** One line per retry; the URL in it is redacted to scheme and host. */
  log?: (line: string) => void;
}

export interface NotifyResult {
  ok: boolean;
  attempts: number;
  /** The last HTTP status, when a server answered. */
  status?: number;
  /** Why it was not delivered; never holds the webhook URL's path. */
  error?: string;
}

export const DEFAULT_NOTIFY_RETRY: RetryPolicy = {
  attempts: 5,
  baseMs: 500,
  maxDelayMs: 30_000,
  maxElapsedMs: 120_000,
};

type Attempt =
  | { ok: true; status: number }
  | { ok: false; retry: boolean; error: string; status?: number; retryAfterMs?: number };

/**
 * POSTs the event to a Slack-compatible webhook. Network errors, timeouts, 429 and 5xx are retried with
 * exponential backoff (or the server's Retry-After); other answers are final. Never throws: a lost
 * notification must not fail a job.
 */
export async function notify(
  url: string,
  event: NotifyEvent,
  options: NotifyOptions = {},
): Promise<NotifyResult> {
  try {
    return await deliver(url, event, options);
  } catch (error) {
    return { ok: false, attempts: 0, error: scrub(`cannot send: ${String(error)}`, url) };
  }
}

async function deliver(url: string, event: NotifyEvent, options: NotifyOptions): Promise<NotifyResult> {
  if (!isHttpUrl(url)) return { ok: false, attempts: 0, error: "the webhook is not an http(s):// URL" };
  const policy = options.policy ?? DEFAULT_NOTIFY_RETRY;
  const now = options.now ?? Date.now;
  const started = now();
  const body = JSON.stringify(buildPayload(event));
  for (let attempt = 0; ; attempt++) {
    const result = await post(url, body, options);
    if (result.ok) return { ok: true, attempts: attempt + 1, status: result.status };
    const delay = result.retryAfterMs ?? backoffDelay(policy, attempt, options.random);
    const stop = stopReason(result, attempt, delay, now() - started, policy);
    if (stop !== undefined) {
      const error = scrub(`${result.error}${stop}`, url);
      return { ok: false, attempts: attempt + 1, status: result.status, error };
    }
    options.log?.(
      scrub(`webhook ${redactUrl(url)}: ${result.error}; retry ${attempt + 1} in ${seconds(delay)}`, url),
    );
    await (options.sleep ?? sleep)(delay);
  }
}

// Undefined while another attempt is worth it; otherwise what to add to the last error.
function stopReason(
  result: Extract<Attempt, { ok: false }>,
  attempt: number,
  delay: number,
  elapsed: number,
  policy: RetryPolicy,
): string | undefined {
  if (!result.retry) return "";
  if (attempt + 1 >= policy.attempts) return ` (gave up after ${attempt + 1} attempts)`;
  if (elapsed + delay > policy.maxElapsedMs) {
    const asked = result.retryAfterMs === undefined ? "" : `the server asked to wait ${seconds(delay)}, `;
    return ` (gave up: ${asked}past the ${seconds(policy.maxElapsedMs)} retry window)`;
  }
  return undefined;
}

async function post(url: string, body: string, options: NotifyOptions): Promise<Attempt> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const shown = redactUrl(url);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (response.ok) return { ok: true, status: response.status };
    const status = response.status;
    const retry = status === 429 || status >= 500;
    const retryAfterMs = retry
      ? parseRetryAfter(response.headers.get("retry-after"), (options.now ?? Date.now)())
      : undefined;
    const detail = text.trim() === "" ? "" : `: ${text.trim().slice(0, 200)}`;
    return { ok: false, retry, status, retryAfterMs, error: `HTTP ${status} from ${shown}${detail}` };
  } catch (error) {
    return { ok: false, retry: true, error: `${shown} ${describeFailure(error, timeoutMs)}` };
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return `did not answer within ${seconds(timeoutMs)}`;
  if (e?.cause?.code) return `cannot be reached (${e.cause.code})`;
  return `cannot be reached (${e?.cause?.message ?? e?.message ?? String(error)})`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

import { backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from "../retry/index.js";

/** Up to 6 tries in 2 minutes for a request the Hub answered with 429 or a 5xx, or that failed in transit. */
export const HUB_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxDelayMs: 30_000, maxElapsedMs: 120_000 };

/** An answer the Hub gave with `X-Error-Code` (or a plain HTTP status), kept for the message the user reads. */
export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly url: string,
    readonly hubMessage: string,
  ) {
    super(`${status} ${errorCode ?? ""} ${hubMessage}`.trim());
  }
}

const retryable = (status: number) => status === 429 || status >= 500;

/**
 * The `fetch` every `@huggingface/hub` call gets: it retries 429 and 5xx with the shared backoff, waiting
 * at least what `Retry-After` asks, and turns a 4xx that carries `X-Error-Code` into a HubHttpError (the
 * library's own error drops that header, which says whether a repo is missing, gated or a revision wrong).
 * `EntryNotFound` is left to the library, which answers it with null or false.
 */
export function hubFetch(policy: RetryPolicy = HUB_RETRY, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= policy.attempts;
      let response: Response;
      try {
        response = await base(input, init);
      } catch (error) {
        if (last || Date.now() - started > policy.maxElapsedMs || init?.signal?.aborted) throw error;
        await sleep(backoffDelay(policy, attempt));
        continue;
      }
      if (retryable(response.status) && !last && canResend(init)) {
        const wait = Math.max(
          backoffDelay(policy, attempt),
          parseRetryAfter(response.headers.get("retry-after")) ?? 0,
        );
        if (Date.now() - started + wait <= policy.maxElapsedMs) {
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      const code = response.headers.get("x-error-code");
      // A missing file is an answer the library handles itself (null, false); the rest end the call.
      if (code && code !== "EntryNotFound" && response.status >= 400 && response.status < 500) {
        const message = response.headers.get("x-error-message") ?? (await response.text()).slice(0, 300);
        throw new HubHttpError(response.status, code, urlOf(input), message);
      }
      return response;
    }
  };
}

/** A streamed body cannot be sent twice; strings, buffers and blobs can. */
function canResend(init: RequestInit | undefined): boolean {
  const body = init?.body;
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof Blob ||
    ArrayBuffer.isView(body)
  );
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
}

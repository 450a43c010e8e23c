// Shared retry pieces: one backoff (S3 checkpoint store, webhooks) and one Retry-After reader (judge, webhooks).
export { type RetryPolicy, backoffDelay, sleep } from "./backoff.js";
export { parseRetryAfter } from "./retry-after.js";

import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
import { S3Store, type S3Options } from "./s3-store.js";
import { joinKey, parseS3Uri } from "./s3-uri.js";

/**
 * How long a store operation keeps retrying through an outage before it is reported as failed.
 * PIPELINE_S3_RETRY_MAX_S overrides the 10-minute default (tests and impatient users).
 */
export function retryPolicy(): RetryPolicy {
  const seconds = Number(process.env.PIPELINE_S3_RETRY_MAX_S);
  return Number.isFinite(seconds) && seconds > 0
    ? { ...DEFAULT_RETRY, attempts: 1_000, maxElapsedMs: seconds * 1000 }
    : { ...DEFAULT_RETRY, attempts: 1_000 };
}

export function openS3(uri: string, options: S3Options = {}): S3Store {
  return new S3Store(parseS3Uri(uri), {
    retry: retryPolicy(),
    ...options,
    // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL: the SDK's own variables, for a bare s3:// URI.
    endpoint: options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL,
  });
}

export { joinKey };

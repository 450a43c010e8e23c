import type { RunConfig } from "../config/index.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
import { S3Store, type S3Options } from "./s3-store.js";
import { isS3Uri, joinKey, parseS3Uri } from "./s3-uri.js";

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

/** The S3 store a run config names, or undefined for a local store. */
export function s3StoreFor(
  checkpoints: RunConfig["checkpoints"],
  extra: Pick<S3Options, "onRetry"> = {},
): S3Store | undefined {
  if (!isS3Uri(checkpoints.store)) return undefined;
  return openS3(checkpoints.store, {
    endpoint: checkpoints.s3.endpoint,
    region: checkpoints.s3.region,
    pathStyle: checkpoints.s3.path_style,
    ...extra,
  });
}

export function openS3(uri: string, options: S3Options = {}): S3Store {
  return new S3Store(parseS3Uri(uri), {
    retry: retryPolicy(),
    ...options,
    // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL: the SDK's own variables, for a bare s3:// URI.
    endpoint: options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL,
  });
}

/**
 * A run's layout in the store: <prefix>/<run-id>/checkpoints/step-NNNNNN/, …/adapter/, …/state/ and
 * …/report/ — each folder with its manifest.json written last.
 */
export const runKeys = (store: S3Store, runId: string) => ({
  run: store.key(runId),
  checkpoints: store.key(runId, "checkpoints"),
  checkpoint: (step: number) => store.key(runId, "checkpoints", `step-${String(step).padStart(6, "0")}`),
  adapter: store.key(runId, "adapter"),
  /** What a resume on a fresh machine needs: resolved config, spec, run record, formatted data splits. */
  state: store.key(runId, "state"),
  report: store.key(runId, "report"),
});

export { joinKey };

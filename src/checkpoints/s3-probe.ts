import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { UsageError, messageOf } from "../errors/index.js";
import { environmentError } from "../errors/environment.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import type { S3Store } from "./s3-store.js";

// A store that does not answer at the start is reported within seconds, not waited for as during a run.
const PROBE_RETRY: RetryPolicy = { attempts: 3, baseMs: 500, maxDelayMs: 2_000, maxElapsedMs: 10_000 };

/** Where a store is, in words: `s3://bucket/prefix at http://127.0.0.1:9000`. */
export function describeStore(store: S3Store): string {
  const { bucket, prefix } = store.location;
  const region =
    store.options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
  return `s3://${bucket}${prefix ? `/${prefix}` : ""} at ${store.options.endpoint ?? `AWS S3 (${region})`}`;
}

/**
 * Proves a checkpoint store before any data is formatted: the bucket answers, the credentials are valid and
 * may write, read and delete under the prefix — one small object written, read back, compared and deleted.
 * Any failure is a UsageError (exit 2) naming the store and what to do; nothing else has happened yet.
 */
export async function probeStore(store: S3Store): Promise<void> {
  const Bucket = store.location.bucket;
  const Key = store.key(`.pipeline-probe-${randomBytes(6).toString("hex")}`);
  const body = randomBytes(32).toString("hex");
  const send = <T>(work: () => Promise<T>) =>
    withRetry(work, PROBE_RETRY).catch((error: unknown) => failed(store, error));
  await send(() => store.client.send(new PutObjectCommand({ Bucket, Key, Body: body })));
  const read = await send(async () => {
    const response = await store.client.send(new GetObjectCommand({ Bucket, Key }));
    return response.Body!.transformToString();
  });
  await send(() => store.client.send(new DeleteObjectCommand({ Bucket, Key })));
  if (read !== body) {
    throw new UsageError(
      "store-read-back",
      `${describeStore(store)} returned other bytes than were written to it`,
      {
        hint: "the store (or a proxy in front of it) changes objects; checkpoints written there would fail verification",
      },
    );
  }
}

const ADVICE: Record<string, string> = {
  unreachable:
    "check checkpoints.s3.endpoint (or AWS_ENDPOINT_URL), that the store runs and that this machine reaches it",
  "store-no-bucket": "create the bucket, or fix the bucket name in checkpoints.store",
  "store-credentials":
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to credentials this store accepts",
  "store-access-denied":
    "give these credentials the right to write, read and delete objects under that prefix",
};

function failed(store: S3Store, error: unknown): never {
  const mapped = environmentError(error);
  const why = mapped?.message ?? `${(error as Error).name}: ${messageOf(error)}`;
  const advice = (mapped && ADVICE[mapped.code]) ?? "check checkpoints.store and checkpoints.s3";
  throw new UsageError(
    mapped?.code ?? "store-unusable",
    `the checkpoint store ${describeStore(store)} failed a test write: ${why}`,
    {
      hint: `${advice}; nothing was formatted or trained (the run checks its store first, so that no checkpoint is lost later)`,
      cause: error,
    },
  );
}

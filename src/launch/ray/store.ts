import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { joinKey, parseS3Uri, runKeys, s3StoreFor } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import { FailedError, UsageError } from "../../errors/index.js";

type Checkpoints = RunConfig["checkpoints"];

/** The spec's `store` block: where the job reads its inputs and writes its outputs (the run's folder). */
export interface StoreBlock {
  uri: string;
  endpoint: string | null;
  region: string | null;
  path_style: boolean;
}

export function storeBlock(checkpoints: Checkpoints, runId: string, env = process.env): StoreBlock {
  const { bucket, prefix } = parseS3Uri(checkpoints.store);
  const endpoint = checkpoints.s3.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? null;
  return {
    uri: `s3://${bucket}/${joinKey(prefix, runId)}`,
    endpoint,
    region: checkpoints.s3.region ?? env.AWS_REGION ?? null,
    path_style: checkpoints.s3.path_style ?? endpoint !== null,
  };
}

/**
 * What the job reads, put in the store before it is submitted (the nodes share no disk with this machine):
 * `<run>/inputs/` (the formatted splits) and, for a base model on this disk, `<run>/model/`; each folder
 * with its manifest written last.
 */
export async function uploadInputs(
  checkpoints: Checkpoints,
  runId: string,
  runDir: string,
  data: string[],
  modelDir: string | undefined,
): Promise<void> {
  const store = openStore(checkpoints);
  const keys = runKeys(store, runId);
  try {
    await store.uploadFiles(
      runDir,
      data.map((file) => relative(runDir, file)),
      `${keys.run}/inputs`,
    );
    if (modelDir) await store.uploadFiles(modelDir, filesUnder(modelDir), `${keys.run}/model`);
  } catch (error) {
    throw new FailedError("ray-inputs", `uploading the run's inputs to ${checkpoints.store} failed`, {
      hint: (error as Error).message,
    });
  } finally {
    store.destroy();
  }
}

/** Once training is done: the adapter the trainer wrote to the store, verified, into the run directory. */
export async function pullAdapter(checkpoints: Checkpoints, runId: string, dir: string): Promise<void> {
  const store = openStore(checkpoints);
  try {
    const verdict = await store.pull(runKeys(store, runId).adapter, dir);
    if (!verdict.ok)
      throw new FailedError("ray-adapter", `the adapter in the store is not complete: ${verdict.reason}`);
  } finally {
    store.destroy();
  }
}

export function openStore(checkpoints: Checkpoints) {
  const store = s3StoreFor(checkpoints);
  if (!store) throw needsS3(checkpoints.store);
  return store;
}

export const needsS3 = (store: string) =>
  new UsageError(
    "ray-needs-s3",
    `runtime ray needs an s3:// checkpoint store (checkpoints.store is ${store})`,
    {
      hint:
        "the cluster's nodes share no disk with this machine: inputs reach the job, and checkpoints and the adapter " +
        "come back, through the store; set checkpoints.store: s3://bucket/prefix (and checkpoints.s3 for MinIO, R2 …)",
    },
  );

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

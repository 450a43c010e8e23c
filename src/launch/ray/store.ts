import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isS3Uri, joinKey, openStore as openCheckpointStore, parseS3Uri } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import { FailedError, UsageError, messageOf } from "../../errors/index.js";

type Checkpoints = RunConfig["checkpoints"];

/** The spec's `store` block: where the job reads its inputs and writes its outputs (the run's folder). */
export interface StoreBlock {
  uri: string;
  endpoint: string | null;
  region: string | null;
  path_style: boolean;
}

export function storeBlock(checkpoints: Checkpoints, runId: string, env = process.env): StoreBlock {
  const { bucket, prefix } = parseS3Uri(s3Uri(checkpoints));
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
  const files = data.map((file) => relative(runDir, file));
  await pushFiles(checkpoints, runId, runDir, files, "inputs");
  if (modelDir) await pushFiles(checkpoints, runId, modelDir, filesUnder(modelDir), "model");
}

/** Some files of a folder here → `<run>/<folder>/` in the store, manifest last. */
export async function pushFiles(
  checkpoints: Checkpoints,
  runId: string,
  dir: string,
  files: string[],
  folder: string,
): Promise<void> {
  const store = openStore(checkpoints);
  try {
    await store.push(runId, folder, dir, files);
  } catch (error) {
    throw new FailedError("ray-store", `uploading ${folder} of run ${runId} to ${store.uri} failed`, {
      hint: messageOf(error),
    });
  } finally {
    store.close();
  }
}

/** `<run>/<folder>/` of the store, verified against its manifest, into `dir` (the adapter, generations). */
export async function pullFolder(checkpoints: Checkpoints, runId: string, folder: string, dir: string) {
  const store = openStore(checkpoints);
  try {
    const verdict = await store.pull(runId, folder, dir);
    if (!verdict.ok)
      throw new FailedError("ray-store", `${folder} in the store is not complete: ${verdict.reason}`);
  } finally {
    store.close();
  }
}

/** The run's s3:// store (a cluster's nodes share no disk with this machine: nothing else will do). */
export function s3Uri(checkpoints: Checkpoints | undefined): string {
  const uri = checkpoints?.store;
  if (uri === undefined || !isS3Uri(uri)) throw needsS3(uri ?? "the runs directory");
  return uri;
}

/** The run's checkpoints block, once its store is known to be s3://. */
export function requireS3(checkpoints: Checkpoints | undefined): Checkpoints {
  s3Uri(checkpoints);
  return checkpoints!;
}

export function openStore(checkpoints: Checkpoints) {
  const { endpoint, region, path_style: pathStyle } = checkpoints.s3;
  return openCheckpointStore(s3Uri(checkpoints), { endpoint, region, pathStyle });
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

/** Every file under `dir`, links followed: a hub snapshot's files are links into the cache's blobs/. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(
      (entry) =>
        entry.isFile() || (entry.isSymbolicLink() && statSync(join(entry.parentPath, entry.name)).isFile()),
    )
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

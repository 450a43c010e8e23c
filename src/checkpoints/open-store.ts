import { resolve } from "node:path";
import type { RunConfig } from "../config/index.js";
import { LocalDirStore } from "./local-dir-store.js";
import { S3CheckpointStore } from "./s3-checkpoint-store.js";
import { isS3Uri } from "./s3-uri.js";
import type { S3Options } from "./s3-store.js";
import { openS3 } from "./store-config.js";
import type { CheckpointStore } from "./store.js";

export type StoreOptions = Pick<S3Options, "endpoint" | "region" | "pathStyle" | "onRetry">;

/** The only code that reads a store URI's scheme: `s3://bucket/prefix`, else a directory. */
export function openStore(uri: string, options: StoreOptions = {}): CheckpointStore {
  if (isS3Uri(uri)) return new S3CheckpointStore(openS3(uri, options));
  return new LocalDirStore(uri);
}

/**
 * The store a run copies its folders to, or undefined when `checkpoints.store` is the runs directory itself
 * (the default): the trainer then writes checkpoints and the adapter where they are kept.
 */
export function storeFor(
  checkpoints: RunConfig["checkpoints"],
  runsDir: string,
  extra: Pick<StoreOptions, "onRetry"> = {},
): CheckpointStore | undefined {
  const uri = checkpoints.store;
  if (uri === undefined || (!isS3Uri(uri) && resolve(uri) === resolve(runsDir))) return undefined;
  const { endpoint, region, path_style: pathStyle } = checkpoints.s3;
  return openStore(uri, { endpoint, region, pathStyle, ...extra });
}

/** Where a run's checkpoints are kept, to list, verify, pull or prune them: its store, or its runs directory. */
export function keptIn(checkpoints: RunConfig["checkpoints"], runsDir: string): CheckpointStore {
  return storeFor(checkpoints, runsDir) ?? new LocalDirStore(runsDir, true);
}

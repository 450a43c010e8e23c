import { existsSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Uploader, runKeys, s3StoreFor, type UploadResult } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import type { TrainerEvent } from "../../launch/index.js";
import { REPORT_FILES, type RunPaths } from "../../run-dir/index.js";

export type Uploads = ReturnType<typeof startUploads>;

/**
 * The background uploader of a run with an s3:// store: the run's state first (what a resume on a fresh
 * machine needs), then every `checkpoint` event's folder as it arrives (training never waits), the adapter
 * once training is done; `finish` waits for the queue.
 */
export function startUploads(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
  log: (line: string) => void,
) {
  const store = s3StoreFor(checkpoints, { onRetry: (line) => log(`store unreachable? ${line}`) });
  if (!store) return undefined;
  const keys = runKeys(store, paths.id);
  const uploader = new Uploader(store, {
    checkpointsKey: keys.checkpoints,
    keepLast: checkpoints.keep_last,
    keepBest: checkpoints.keep_best,
    log,
  });
  uploader.enqueue({ label: "run state", dir: paths.dir, key: keys.state, files: stateFiles(paths) });
  return {
    /** `ready`: what must finish before the folder is read (its manifest being stamped with metrics). */
    onEvent(event: TrainerEvent, ready?: Promise<unknown>) {
      if (event.type !== "checkpoint") return;
      uploader.enqueue({
        ready,
        label: `checkpoint step ${event.step}`,
        dir: hostCheckpoint(paths, event.path),
        key: keys.checkpoint(event.step),
        checkpointStep: event.step,
      });
    },
    async finish(trained: boolean, onProgress: (line: string) => void): Promise<UploadResult[]> {
      if (trained) uploader.enqueue({ label: "adapter", dir: paths.adapter, key: keys.adapter });
      try {
        return await uploader.drain(onProgress);
      } finally {
        store.destroy();
      }
    },
  };
}

/** A checkpoint folder as this machine sees it (a container reports it under its own mount point). */
export const hostCheckpoint = (paths: RunPaths, path: string) => join(paths.checkpoints, basename(path));

/** The run directory's files that `pipeline run --resume s3://…/<run-id>` recreates on a fresh machine. */
function stateFiles(paths: RunPaths): string[] {
  const files = [paths.resolvedConfig, paths.spec, paths.record];
  for (const split of ["train.jsonl", "eval.jsonl"]) files.push(join(paths.data, split));
  return files.filter((file) => existsSync(file)).map((file) => relative(paths.dir, file));
}

/** After the report is written: report.json/md/html into the store, with a manifest, like the adapter. */
export async function uploadReport(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
): Promise<UploadResult | undefined> {
  const store = s3StoreFor(checkpoints);
  if (!store) return undefined;
  const files = REPORT_FILES.filter((f) => existsSync(join(paths.dir, f)));
  const job = { label: "report", dir: paths.dir, key: runKeys(store, paths.id).report, files };
  const uri = `s3://${store.location.bucket}/${job.key}`;
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  try {
    if (files.length === 0) return undefined;
    const { bytes } = await store.uploadFiles(job.dir, files, job.key);
    return { job, uri, ok: true, bytes, seconds: seconds() };
  } catch (error) {
    return { job, uri, ok: false, error: (error as Error).message || String(error), seconds: seconds() };
  } finally {
    store.destroy();
  }
}

/** One line for what reached the s3:// store and one per thing that did not. */
export function uploadLines(uploads: UploadResult[] | undefined): string[] {
  if (!uploads) return [];
  const done = uploads.filter((u) => u.ok);
  const mb = done.reduce((sum, u) => sum + (u.bytes ?? 0), 0) / 1e6;
  const names = done.map((u) => u.job.label).join(", ") || "nothing";
  const lines = [
    `  uploaded     ${done.length}/${uploads.length} to the store (${mb.toFixed(1)} MB): ${names}`,
  ];
  for (const u of uploads.filter((u) => !u.ok)) lines.push(`  NOT uploaded ${u.job.label}: ${u.error}`);
  return lines;
}

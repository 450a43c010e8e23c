import { existsSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { Uploader, stepFolder, storeFolder, storeFor, type UploadResult } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import type { TrainerEvent } from "../../launch/index.js";
import { ADAPTER_FILES, REPORT_FILES, type RunPaths } from "../../run-dir/index.js";

export type Uploads = ReturnType<typeof startUploads>;

/**
 * The background copies of a run with a checkpoint store of its own (s3:// or a directory): the run's state
 * first (what a resume on a fresh machine needs), then every `checkpoint` event's folder as it arrives
 * (training never waits), the adapter once training is done; `finish` waits for the queue.
 */
export function startUploads(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
  log: (line: string) => void,
) {
  const store = storeFor(checkpoints, dirname(paths.dir), {
    onRetry: (line) => log(`store unreachable? ${line}`),
  });
  if (!store) return undefined;
  const uploader = new Uploader(store, {
    runId: paths.id,
    keepLast: checkpoints.keep_last,
    keepBest: checkpoints.keep_best,
    log,
  });
  uploader.enqueue({ label: "run state", dir: paths.dir, folder: "state", files: stateFiles(paths) });
  return {
    /** `ready`: what must finish before the folder is read (its manifest being stamped with metrics). */
    onEvent(event: TrainerEvent, ready?: Promise<unknown>) {
      if (event.type !== "checkpoint") return;
      uploader.enqueue({
        ready,
        label: `checkpoint step ${event.step}`,
        dir: hostCheckpoint(paths, event.path),
        folder: stepFolder(event.step),
        checkpointStep: event.step,
      });
    },
    async finish(trained: boolean, onProgress: (line: string) => void): Promise<UploadResult[]> {
      if (trained) uploader.enqueue({ label: "adapter", dir: paths.adapter, folder: "adapter" });
      try {
        return await uploader.drain(onProgress);
      } finally {
        store.close();
      }
    },
  };
}

/** A checkpoint folder as this machine sees it (a container reports it under its own mount point). */
export const hostCheckpoint = (paths: RunPaths, path: string) => join(paths.checkpoints, basename(path));

/** The run directory's files that `pipeline run --resume <store>/<run-id>` recreates on a fresh machine. */
export function stateFiles(paths: RunPaths): string[] {
  const files = [paths.resolvedConfig, paths.spec, paths.record];
  for (const split of ["train.jsonl", "eval.jsonl"]) files.push(join(paths.data, split));
  // The adapter the run started from: a resume elsewhere loads it (and its frozen reference) from here.
  for (const file of ADAPTER_FILES) files.push(join(paths.initAdapter, file));
  return files.filter((file) => existsSync(file)).map((file) => relative(paths.dir, file));
}

/** After the report is written: report.json/md/html into the store, with a manifest, like the adapter. */
export async function uploadReport(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
): Promise<UploadResult | undefined> {
  const store = storeFor(checkpoints, dirname(paths.dir));
  if (!store) return undefined;
  try {
    const files = REPORT_FILES.filter((f) => existsSync(join(paths.dir, f)));
    if (files.length === 0) return undefined;
    return await storeFolder(store, paths.id, { label: "report", dir: paths.dir, folder: "report", files });
  } finally {
    store.close();
  }
}

/** One line for what reached the store and one per thing that did not. */
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

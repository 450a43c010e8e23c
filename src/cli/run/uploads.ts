import { existsSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { Uploader, runKeys, s3StoreFor, type UploadResult } from "../../checkpoints/index.js";
import type { TrainerEvent } from "../../launch/events.js";
import type { RunContext } from "./context.js";

/**
 * The background uploader of a run with an s3:// store: the run's state first (what a resume on a fresh
 * machine needs), then every `checkpoint` event's folder as it arrives (training never waits), the adapter
 * once training is done; `finish` waits for the queue.
 */
export function startUploads(ctx: RunContext, log: (line: string) => void) {
  const store = s3StoreFor(ctx.config.checkpoints, { onRetry: (line) => log(`store unreachable? ${line}`) });
  if (!store) return undefined;
  const keys = runKeys(store, ctx.paths.id);
  const uploader = new Uploader(store, {
    checkpointsKey: keys.checkpoints,
    keepLast: ctx.config.checkpoints.keep_last,
    keepBest: ctx.config.checkpoints.keep_best,
    log,
  });
  uploader.enqueue({ label: "run state", dir: ctx.paths.dir, key: keys.state, files: stateFiles(ctx) });
  return {
    /** `ready`: what must finish before the folder is read (its manifest being stamped with metrics). */
    onEvent(event: TrainerEvent, ready?: Promise<unknown>) {
      if (event.type !== "checkpoint") return;
      uploader.enqueue({
        ready,
        label: `checkpoint step ${event.step}`,
        dir: hostCheckpoint(ctx, event.path),
        key: keys.checkpoint(event.step),
        checkpointStep: event.step,
      });
    },
    async finish(trained: boolean, onProgress: (line: string) => void): Promise<UploadResult[]> {
      if (trained) uploader.enqueue({ label: "adapter", dir: ctx.paths.adapter, key: keys.adapter });
      try {
        return await uploader.drain(onProgress);
      } finally {
        store.destroy();
      }
    },
  };
}

/** A checkpoint folder as this machine sees it (a container reports it under its own mount point). */
export const hostCheckpoint = (ctx: RunContext, path: string) => join(ctx.paths.checkpoints, basename(path));

/** The run directory's files that `pipeline run --resume s3://…/<run-id>` recreates on a fresh machine. */
function stateFiles(ctx: RunContext): string[] {
  const files = [ctx.paths.resolvedConfig, ctx.paths.spec, ctx.paths.record];
  for (const split of ["train.jsonl", "eval.jsonl"]) files.push(join(ctx.paths.data, split));
  return files.filter((file) => existsSync(file)).map((file) => relative(ctx.paths.dir, file));
}

/** After the report is written: report.json/md/html into the store, with a manifest, like the adapter. */
export async function uploadReport(ctx: RunContext): Promise<void> {
  const store = s3StoreFor(ctx.config.checkpoints);
  if (!store || !ctx.reportPath) return store?.destroy();
  const files = ["report.json", "report.md", "report.html"].filter((f) => existsSync(join(ctx.paths.dir, f)));
  const job = { label: "report", dir: ctx.paths.dir, key: runKeys(store, ctx.paths.id).report, files };
  const uri = `s3://${store.location.bucket}/${job.key}`;
  const started = Date.now();
  try {
    const { bytes } = await store.uploadFiles(job.dir, files, job.key);
    ctx.uploads?.push({ job, uri, ok: true, bytes, seconds: (Date.now() - started) / 1000 });
  } catch (error) {
    const message = (error as Error).message || String(error);
    ctx.uploads?.push({ job, uri, ok: false, error: message, seconds: (Date.now() - started) / 1000 });
  } finally {
    store.destroy();
  }
}

import { Uploader, runKeys, s3StoreFor, type UploadResult } from "../../checkpoints/index.js";
import type { TrainerEvent } from "../../launch/events.js";
import type { RunContext } from "./context.js";

/**
 * The background uploader of a run with an s3:// store: every `checkpoint` event's folder is queued as it
 * arrives (training never waits), the adapter once training is done; `finish` waits for the queue.
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
  return {
    /** `ready`: what must finish before the folder is read (its manifest being stamped with metrics). */
    onEvent(event: TrainerEvent, ready?: Promise<unknown>) {
      if (event.type !== "checkpoint") return;
      uploader.enqueue({
        ready,
        label: `checkpoint step ${event.step}`,
        dir: event.path,
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

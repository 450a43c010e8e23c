import { describeStore, probeStore, s3StoreFor } from "../../checkpoints/index.js";
import type { RunContext } from "./context.js";

/** Whether the run stores its checkpoints in an object store (s3://) rather than its run directory. */
export const usesObjectStore = (ctx: RunContext) => s3StoreFor(ctx.config.checkpoints) !== undefined;

/**
 * The checkpoint store, proven before any data is formatted or step trained (a write, a read and a delete):
 * a store that cannot take checkpoints is found now, not after hours of training whose checkpoints are lost.
 */
export async function checkStore(ctx: RunContext, task: { output: string | undefined; title: string }) {
  const store = s3StoreFor(ctx.config.checkpoints);
  if (!store) return;
  try {
    task.output = `writing, reading and deleting a test object in ${describeStore(store)}`;
    await probeStore(store);
    task.title = `Checkpoint store (${describeStore(store)}: write, read and delete work)`;
  } finally {
    store.destroy();
  }
}

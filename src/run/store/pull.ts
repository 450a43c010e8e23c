import { join } from "node:path";
import { newestComplete, runKeys, s3StoreFor } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import type { RunPaths } from "../../run-dir/index.js";

/**
 * Before resuming a run with an s3:// store: when the store holds a newer complete checkpoint than the
 * run directory (a fresh or wiped machine), pull it — verified file by file against its manifest. A stored
 * checkpoint that fails verification is skipped with a warning for the one before it.
 */
export async function pullNewerCheckpoint(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
  log: (line: string) => void,
): Promise<void> {
  const store = s3StoreFor(checkpoints);
  if (!store) return;
  try {
    const local = (await newestComplete(paths.checkpoints)).checkpoint?.step ?? -1;
    for (const remote of await store.listCheckpoints(runKeys(store, paths.id).checkpoints)) {
      if (remote.step <= local) return;
      const uri = `s3://${store.location.bucket}/${remote.key}`;
      if (!remote.complete) {
        log(`skipping ${uri}: ${remote.reason}`);
        continue;
      }
      log(`pulling checkpoint step ${remote.step} from ${uri}`);
      const dir = join(paths.checkpoints, `step-${String(remote.step).padStart(6, "0")}`);
      const verdict = await store.pull(remote.key, dir);
      if (verdict.ok) return;
      process.stderr.write(
        `warning: stored checkpoint step ${remote.step} is corrupt (${verdict.reason}); trying the one before it\n`,
      );
    }
  } finally {
    store.destroy();
  }
}

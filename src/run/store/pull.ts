import { dirname, join } from "node:path";
import { newestComplete, stepName, storeFor } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import type { RunPaths } from "../../run-dir/index.js";

/**
 * Before resuming a run with a checkpoint store of its own: when the store holds a newer complete checkpoint
 * than the run directory (a fresh or wiped machine), pull it — verified file by file against its manifest. A
 * stored checkpoint that fails verification is skipped with a warning for the one before it.
 */
export async function pullNewerCheckpoint(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
  log: (line: string) => void,
): Promise<void> {
  const store = storeFor(checkpoints, dirname(paths.dir));
  if (!store) return;
  try {
    const local = (await newestComplete(paths.checkpoints)).checkpoint?.step ?? -1;
    for (const stored of await store.checkpoints(paths.id)) {
      if (stored.step <= local) return;
      const where = store.locate(paths.id, stored.folder);
      if (!stored.complete) {
        log(`skipping ${where}: ${stored.reason}`);
        continue;
      }
      log(`pulling checkpoint step ${stored.step} from ${where}`);
      const verdict = await store.pull(
        paths.id,
        stored.folder,
        join(paths.checkpoints, stepName(stored.step)),
      );
      if (verdict.ok) return;
      process.stderr.write(
        `warning: stored checkpoint step ${stored.step} is corrupt (${verdict.reason}); trying the one before it\n`,
      );
    }
  } finally {
    store.close();
  }
}

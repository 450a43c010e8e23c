import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { openStore } from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { createRunDir, runPaths } from "../../run-dir/index.js";

export interface StoreOptions {
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
}

/** A run's location in a store — `s3://bucket/prefix/<run-id>` or `<store dir>/<run-id>` — as store + run id. */
export function splitRunLocation(location: string): { store: string; id: string } {
  const trimmed = location.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  const id = trimmed.slice(cut + 1);
  const store = trimmed.slice(0, cut);
  if (!id || !store || store === "s3:/") {
    throw new UsageError("bad-resume-uri", `${location} does not name a run`, {
      hint: "give the run's location in its store: s3://bucket/prefix/<run-id> or <store directory>/<run-id>",
    });
  }
  return { store, id };
}

/**
 * `pipeline run --resume <store>/<run-id>` on a machine without the run directory: recreates it under
 * --runs-dir from the run's state in the store (verified against its manifest); the newest complete
 * checkpoint is pulled later, as for any resume. Returns the run id. A run directory that is already here
 * is used as it is.
 */
export async function restoreFromStore(location: string, options: StoreOptions): Promise<string> {
  const { store: uri, id } = splitRunLocation(location);
  const paths = runPaths(options.runsDir, id);
  if (existsSync(paths.record)) return id;
  const store = openStore(uri, options);
  const tmp = join(options.runsDir, `.restore-${id}`);
  try {
    const verdict = await store.pull(id, "state", tmp);
    if (!verdict.ok) {
      throw new FailedError("no-run-state", `${location} holds no complete run state (${verdict.reason})`, {
        hint: "only runs started with a checkpoint store of their own (checkpoints.store) can be resumed from it; `pipeline checkpoints list` shows what is there",
      });
    }
    await createRunDir(paths);
    for (const file of verdict.manifest.files) {
      await mkdir(dirname(join(paths.dir, file.path)), { recursive: true });
      await rename(join(tmp, file.path), join(paths.dir, file.path));
    }
    process.stderr.write(`restored run ${id} from ${location} into ${paths.dir}\n`);
    return id;
  } finally {
    store.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { openS3, parseS3Uri, runKeys } from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { createRunDir, runPaths } from "../../run-dir/index.js";

export interface StoreOptions {
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
}

/**
 * `pipeline run --resume s3://bucket/prefix/<run-id>` on a machine without the run directory: recreates it
 * under --runs-dir from the run's state in the store (verified against its manifest); the newest complete
 * checkpoint is pulled later, as for any resume. Returns the run id. A run directory that is already here
 * is used as it is.
 */
export async function restoreFromStore(uri: string, options: StoreOptions): Promise<string> {
  const { bucket, prefix } = parseS3Uri(uri);
  const id = prefix.split("/").pop() ?? "";
  if (!id) {
    throw new UsageError("bad-resume-uri", `${uri} does not name a run`, {
      hint: "give the run's location in the store: s3://bucket/prefix/<run-id>",
    });
  }
  const paths = runPaths(options.runsDir, id);
  if (existsSync(paths.record)) return id;
  const parent = prefix.split("/").slice(0, -1).join("/");
  const store = openS3(`s3://${bucket}/${parent}`, options);
  const tmp = join(options.runsDir, `.restore-${id}`);
  try {
    const verdict = await store.pull(runKeys(store, id).state, tmp);
    if (!verdict.ok) {
      throw new FailedError("no-run-state", `${uri} holds no complete run state (${verdict.reason})`, {
        hint: "only runs started with an s3:// checkpoint store can be resumed from the store; `pipeline checkpoints list` shows what is there",
      });
    }
    await createRunDir(paths);
    for (const file of verdict.manifest.files) {
      await mkdir(dirname(join(paths.dir, file.path)), { recursive: true });
      await rename(join(tmp, file.path), join(paths.dir, file.path));
    }
    process.stderr.write(`restored run ${id} from ${uri} into ${paths.dir}\n`);
    return id;
  } finally {
    store.destroy();
    await rm(tmp, { recursive: true, force: true });
  }
}

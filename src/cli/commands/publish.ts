import { existsSync } from "node:fs";
import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isS3Uri, openS3, parseS3Uri, runKeys } from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { publishRun } from "../../hub/index.js";
import { runPaths } from "../../run-dir/index.js";

interface PublishFlags {
  repo: string;
  private?: boolean;
  force?: boolean;
  runsDir: string;
  endpoint?: string;
  region?: string;
  pathStyle?: boolean;
  json?: boolean;
}

/** `pipeline publish <run-id|s3-uri> --repo org/name`: the adapter and its model card to the Hub. */
export async function publish(run: string, flags: PublishFlags): Promise<number> {
  const { dir, cleanup } = isS3Uri(run)
    ? await fromStore(run, flags)
    : { dir: localRun(run, flags.runsDir), cleanup: async () => {} };
  try {
    const result = await publishRun(dir, {
      repo: flags.repo,
      private: Boolean(flags.private),
      force: Boolean(flags.force),
    });
    if (flags.json) process.stdout.write(JSON.stringify(result) + "\n");
    else if (result.commit)
      process.stdout.write(
        `published ${result.changed.join(", ")} to ${result.url} (commit ${result.commit})\n`,
      );
    else process.stdout.write(`${result.url} already holds this adapter and card: nothing to commit\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

function localRun(id: string, runsDir: string): string {
  const paths = runPaths(runsDir, id);
  if (!existsSync(paths.record)) {
    throw new UsageError("run-not-found", `no run ${id} in ${runsDir}`, {
      hint: "`pipeline runs list` shows the runs; or give the run's s3:// location",
    });
  }
  return paths.dir;
}

/** A run in an s3:// store: its resolved config and data (state/), adapter/ and report/, verified, into a temp dir. */
async function fromStore(uri: string, flags: PublishFlags) {
  const { bucket, prefix } = parseS3Uri(uri);
  const id = prefix.split("/").pop() ?? "";
  const store = openS3(`s3://${bucket}/${prefix.split("/").slice(0, -1).join("/")}`, flags);
  const root = await mkdtemp(join(tmpdir(), "pipeline-publish-"));
  const dir = join(root, id);
  try {
    const keys = runKeys(store, id);
    // pull() replaces the folder it fills: the run folder first, then its adapter/, the report beside it.
    const pulls: [string, string][] = [
      [keys.state, dir],
      [keys.adapter, join(dir, "adapter")],
      [keys.report, join(root, "report")],
    ];
    for (const [key, into] of pulls) {
      const verdict = await store.pull(key, into);
      if (!verdict.ok) {
        throw new FailedError(
          "publish-store",
          `${uri}: ${key} is not complete in the store (${verdict.reason})`,
          {
            hint: "publish a run that finished, with its adapter and report in the store",
          },
        );
      }
    }
    for (const name of await readdir(join(root, "report")))
      await rename(join(root, "report", name), join(dir, name));
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  } finally {
    store.destroy();
  }
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

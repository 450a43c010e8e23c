import { existsSync } from "node:fs";
import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import { publishRun } from "../../hub/index.js";
import { runPaths } from "../../run-dir/index.js";
import { splitRunLocation } from "../../run/index.js";

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

/** `pipeline publish <run-id|location> --repo org/name`: the adapter and its model card to the Hub. */
export async function publish(run: string, flags: PublishFlags): Promise<number> {
  // A run id never holds a slash: anything with one is the run's location in a store.
  const { dir, cleanup } = run.includes("/")
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
      hint: "`pipeline runs list` shows the runs; or give the run's location in its store (s3://bucket/prefix/<run-id>)",
    });
  }
  return paths.dir;
}

/** A run in a store: its resolved config and data (state/), adapter/ and report/, verified, into a temp dir. */
async function fromStore(location: string, flags: PublishFlags) {
  const { store: uri, id } = splitRunLocation(location);
  const store = openStore(uri, flags);
  const root = await mkdtemp(join(tmpdir(), "pipeline-publish-"));
  const dir = join(root, id);
  try {
    // pull() replaces the folder it fills: the run folder first, then its adapter/, the report beside it.
    const pulls: [string, string][] = [
      ["state", dir],
      ["adapter", join(dir, "adapter")],
      ["report", join(root, "report")],
    ];
    for (const [folder, into] of pulls) {
      const verdict = await store.pull(id, folder, into);
      if (!verdict.ok) {
        throw new FailedError(
          "publish-store",
          `${location}: ${store.locate(id, folder)} is not complete in the store (${verdict.reason})`,
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
    store.close();
  }
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}

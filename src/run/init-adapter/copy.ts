import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { sha256File } from "../../checkpoints/index.js";
import { FailedError } from "../../errors/index.js";
import type { RunPaths } from "../../run-dir/index.js";
import { ADAPTER_FILES, SETTING } from "./adapter-config.js";

/** run.json's record of the adapter a run started from: what the config named and the copy's hashes. */
export interface InitAdapterRecord {
  source: string;
  sha256: Record<string, string>;
}

/**
 * The adapter's files copied into the run directory (init-adapter/), so the run carries what it started from:
 * the docker mount, the store's run state and a cluster's inputs take it from there, and a resume elsewhere
 * or after the source changed loads the same weights. The files go to a partial folder renamed into place
 * once all are there: a copy stopped half way is never taken for the run's copy. Returns the copy's hashes.
 */
export async function copyInitAdapter(
  source: string,
  dir: string,
  paths: RunPaths,
): Promise<InitAdapterRecord> {
  const partial = `${paths.initAdapter}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    for (const file of ADAPTER_FILES) await copyFile(join(dir, file), join(partial, file));
    const sha256 = await hashes(partial);
    await rm(paths.initAdapter, { recursive: true, force: true });
    await rename(partial, paths.initAdapter);
    return { source, sha256 };
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** A resumed run's copy, checked against the hashes run.json recorded when the run started. */
export async function verifyInitAdapter(paths: RunPaths, record: InitAdapterRecord): Promise<void> {
  const now = await hashes(paths.initAdapter).catch((error: Error) => ({ error: error.message }));
  const changed = ADAPTER_FILES.filter(
    (file) => (now as Record<string, string>)[file] !== record.sha256[file],
  );
  if (changed.length === 0) return;
  throw new FailedError(
    "init-adapter-changed",
    `${SETTING}: the run's copy ${paths.initAdapter} no longer matches run.json (${changed.join(", ")})`,
    {
      hint: "restore the run directory from its store (pipeline run --resume <store>/<run-id>), or start a new run",
    },
  );
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const entries = await Promise.all(
    ADAPTER_FILES.map(async (f) => [f, await sha256File(join(dir, f))] as const),
  );
  return Object.fromEntries(entries);
}

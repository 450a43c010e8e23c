import { existsSync } from "node:fs";
import { join } from "node:path";
import { verifyCheckpoint, type Verdict } from "./manifest.js";
import type { S3Store } from "./s3-store.js";
import { joinKey } from "./s3-uri.js";

/**
 * Besides its checkpoints, a store holds these folders of a run, each with its manifest.json written last:
 * the adapter (what users deploy), the run state (what a resume on a fresh machine needs) and the report.
 * A local store is the run directory itself, where only the adapter is such a folder.
 */
export const RUN_FOLDERS = ["adapter", "state", "report"] as const;
export type RunFolder = (typeof RUN_FOLDERS)[number];

export interface FolderCheck {
  name: RunFolder;
  /** The folder's key (s3) or path (local). */
  where: string;
  /** absent: not stored (yet); incomplete: no manifest, an upload in progress or abandoned — not a copy. */
  status: "ok" | "mismatch" | "incomplete" | "absent";
  reason?: string;
}

/** Re-downloads and re-hashes every stored run folder under `runKey` (…/<run-id>). */
export async function verifyStoredFolders(store: S3Store, runKey: string): Promise<FolderCheck[]> {
  const checks: FolderCheck[] = [];
  for (const name of RUN_FOLDERS) {
    const where = joinKey(runKey, name);
    if ((await store.listObjects(where)).length === 0) checks.push({ name, where, status: "absent" });
    else checks.push({ name, where, ...status(await store.verify(where)) });
  }
  return checks;
}

/** Re-hashes the run directory's adapter against its manifest. */
export async function verifyLocalFolders(runDir: string): Promise<FolderCheck[]> {
  const where = join(runDir, "adapter");
  if (!existsSync(where)) return [{ name: "adapter", where, status: "absent" }];
  return [{ name: "adapter", where, ...status(await verifyCheckpoint(where)) }];
}

function status(verdict: Verdict): Pick<FolderCheck, "status" | "reason"> {
  if (verdict.ok) return { status: "ok" };
  const incomplete = /manifest/.test(verdict.reason);
  return { status: incomplete ? "incomplete" : "mismatch", reason: verdict.reason };
}

export function isRunFolder(name: string): name is RunFolder {
  return (RUN_FOLDERS as readonly string[]).includes(name);
}

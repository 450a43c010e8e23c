import type { Verdict } from "./manifest.js";
import type { CheckpointStore } from "./store.js";

/**
 * Besides its checkpoints, a store holds these folders of a run, each with its manifest.json written last:
 * the adapter (what users deploy), the run state (what a resume on a fresh machine needs) and the report.
 * When the store is the runs directory itself, only the adapter is such a folder.
 */
export const RUN_FOLDERS = ["adapter", "state", "report"] as const;
export type RunFolder = (typeof RUN_FOLDERS)[number];

export interface FolderCheck {
  name: RunFolder;
  /** Where the folder is: an s3:// URI or a path. */
  where: string;
  /** absent: not stored (yet); incomplete: no manifest, an upload in progress or abandoned — not a copy. */
  status: "ok" | "mismatch" | "incomplete" | "absent";
  reason?: string;
}

/** Re-reads and re-hashes every folder the store keeps for the run besides its checkpoints. */
export async function verifyFolders(store: CheckpointStore, runId: string): Promise<FolderCheck[]> {
  const checks: FolderCheck[] = [];
  for (const name of store.runFolders) {
    const where = store.locate(runId, name);
    if (!(await store.has(runId, name))) checks.push({ name, where, status: "absent" });
    else checks.push({ name, where, ...status(await store.verify(runId, name)) });
  }
  return checks;
}

function status(verdict: Verdict): Pick<FolderCheck, "status" | "reason"> {
  if (verdict.ok) return { status: "ok" };
  const incomplete = /manifest/.test(verdict.reason);
  return { status: incomplete ? "incomplete" : "mismatch", reason: verdict.reason };
}

export function isRunFolder(name: string): name is RunFolder {
  return (RUN_FOLDERS as readonly string[]).includes(name);
}

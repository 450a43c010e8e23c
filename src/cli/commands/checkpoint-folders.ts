import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  type FolderCheck,
  isRunFolder,
  joinKey,
  RUN_FOLDERS,
  verifyCheckpoint,
  verifyLocalFolders,
  verifyStoredFolders,
} from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import type { Target } from "./checkpoint-target.js";

/** Every folder besides the checkpoints that the store holds for the run, re-hashed against its manifest. */
export async function verifyFolders(t: Target): Promise<FolderCheck[]> {
  if (t.kind === "local") return verifyLocalFolders(t.runDir);
  const checks = await verifyStoredFolders(t.store, t.runKey);
  return checks.map((c) => ({ ...c, where: `s3://${t.store.location.bucket}/${c.where}` }));
}

const SHOWN = {
  ok: "ok",
  mismatch: "MISMATCH",
  incomplete: "incomplete (an upload in progress or abandoned)",
  absent: "not stored",
};

export function folderLine(check: FolderCheck): string {
  return `${check.name.padEnd(13)}${SHOWN[check.status]}${check.status === "mismatch" ? `: ${check.reason}` : ""}`;
}

/** `pipeline checkpoints pull <run> --folder adapter|state|report -o DIR`: a stored folder, verified. */
export async function pullFolder(t: Target, name: string, out: string): Promise<number> {
  if (!isRunFolder(name)) {
    throw new UsageError(
      "bad-folder",
      `--folder ${name}: the folders of a run are ${RUN_FOLDERS.join(", ")}`,
      {
        hint: "without --folder, pull pulls a checkpoint",
      },
    );
  }
  const key = t.kind === "s3" ? joinKey(t.runKey, name) : "";
  const verdict = t.kind === "s3" ? await t.store.pull(key, out) : await pullLocal(t, name, out);
  const where = t.kind === "s3" ? `s3://${t.store.location.bucket}/${key}` : join(t.runDir, name);
  if (!verdict.ok) {
    throw new FailedError("folder-mismatch", `${where} is not a complete, verified copy: ${verdict.reason}`, {
      hint: "`pipeline checkpoints verify` checks every folder of the run; a run that ended without storing it says so in its summary",
    });
  }
  process.stdout.write(`pulled the ${name} (${verdict.manifest.files.length} files, verified) into ${out}\n`);
  return 0;
}

async function pullLocal(t: Extract<Target, { kind: "local" }>, name: string, out: string) {
  if (name !== "adapter") {
    throw new UsageError(
      "not-a-stored-folder",
      `a local store keeps the run's ${name} files in ${t.runDir} itself`,
      {
        hint: "copy them from there; only the adapter (and the checkpoints) carry a manifest in a local store",
      },
    );
  }
  const verdict = await verifyCheckpoint(join(t.runDir, name));
  if (verdict.ok) {
    await rm(out, { recursive: true, force: true });
    await cp(join(t.runDir, name), out, { recursive: true });
  }
  return verdict;
}

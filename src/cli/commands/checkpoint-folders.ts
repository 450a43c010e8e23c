import { type FolderCheck, isRunFolder, RUN_FOLDERS, verifyFolders } from "../../checkpoints/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import type { Target } from "./checkpoint-target.js";

/** Every folder besides the checkpoints that the store holds for the run, re-hashed against its manifest. */
export const verifyRunFolders = (t: Target): Promise<FolderCheck[]> => verifyFolders(t.store, t.runId);

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
  if (!t.store.runFolders.includes(name)) {
    throw new UsageError(
      "not-a-stored-folder",
      `the run's ${name} files are plain files in its run directory ${t.store.locate(t.runId)}`,
      {
        hint: "copy them from there; when the store is the runs directory only the adapter (and the checkpoints) carry a manifest",
      },
    );
  }
  const verdict = await t.store.pull(t.runId, name, out);
  if (!verdict.ok) {
    const where = t.store.locate(t.runId, name);
    throw new FailedError("folder-mismatch", `${where} is not a complete, verified copy: ${verdict.reason}`, {
      hint: "`pipeline checkpoints verify` checks every folder of the run; a run that ended without storing it says so in its summary",
    });
  }
  process.stdout.write(`pulled the ${name} (${verdict.manifest.files.length} files, verified) into ${out}\n`);
  return 0;
}

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { verifyCheckpoint } from "./manifest.js";
import { STEP_DIR } from "./step-folder.js";

export interface CheckpointInfo {
  step: number;
  path: string;
  complete: boolean;
  reason?: string;
  metrics?: Record<string, number>;
}

/** Every step-NNNNNN folder of a local checkpoint store, newest first, each verified against its manifest. */
export async function listCheckpoints(
  dir: string,
  options: { hash?: boolean } = {},
): Promise<CheckpointInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const steps = entries
    .filter((entry) => entry.isDirectory() && STEP_DIR.test(entry.name))
    .map((entry) => ({ step: Number(STEP_DIR.exec(entry.name)![1]), path: join(dir, entry.name) }))
    .sort((a, b) => b.step - a.step);
  const infos: CheckpointInfo[] = [];
  for (const { step, path } of steps) {
    const verdict = await verifyCheckpoint(path, options);
    infos.push(
      verdict.ok
        ? { step, path, complete: true, metrics: verdict.manifest.metrics }
        : { step, path, complete: false, reason: verdict.reason },
    );
  }
  return infos;
}

/** The newest checkpoint whose files match its manifest, and the newer ones skipped on the way (with why). */
export async function newestComplete(
  dir: string,
): Promise<{ checkpoint?: CheckpointInfo; skipped: CheckpointInfo[] }> {
  const skipped: CheckpointInfo[] = [];
  for (const info of await listCheckpoints(dir)) {
    if (info.complete) return { checkpoint: info, skipped };
    skipped.push(info);
  }
  return { skipped };
}

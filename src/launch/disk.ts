import { existsSync } from "node:fs";
import { readdir, stat, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UsageError } from "../errors/index.js";
import { formatBytes, parseSize } from "./sizes.js";

/** Bytes free to this user on the file system that holds `path` (or its nearest existing parent). */
export async function freeBytes(path: string): Promise<number> {
  let dir = path;
  while (!existsSync(dir) && dir !== dirname(dir)) dir = dirname(dir);
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Bytes of the files at these paths (folders counted in full); paths that do not exist count 0. */
export async function totalBytes(paths: string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    if (!info.isDirectory()) total += info.size;
    else total += await totalBytes((await readdir(path)).map((entry) => join(path, entry)));
  }
  return total;
}

/**
 * A local run checks the disk of its run directory before training, as the docker runtime checks its
 * engine: checkpoints land there, and a disk that fills up mid-run stops it. `setting` names the key.
 */
export async function assertFreeDisk(dir: string, minimum: string, setting: string): Promise<void> {
  const free = await freeBytes(dir);
  const need = parseSize(minimum);
  if (free >= need) return;
  throw new UsageError(
    "disk-full",
    `the disk that holds ${dir} has ${formatBytes(free)} free; this run needs at least ${formatBytes(need)}`,
    {
      hint: `free space there, or point output.runs_dir (--runs-dir) at a larger disk; ${setting} (now ${minimum}) sets the threshold`,
    },
  );
}

import { existsSync } from "node:fs";
import { chown, readdir } from "node:fs/promises";
import { join } from "node:path";

/** The image's non-root user (docker/Dockerfile). */
export const IMAGE_UID = 1000;

/**
 * Who the trainer runs as: the configured uid[:gid]; else the caller's, so outputs belong to them; but
 * never root by default: a root caller gets the image's uid 1000 (and the output folders are handed to it).
 */
export function containerUser(configured: string | undefined, uid: number, gid: number): string {
  if (configured !== undefined) return configured;
  return uid === 0 ? `${IMAGE_UID}:${IMAGE_UID}` : `${uid}:${gid}`;
}

export function parseUser(user: string): { uid: number; gid: number } {
  const [uid, gid] = user.split(":").map(Number);
  return { uid: uid!, gid: gid ?? uid! };
}

/**
 * As root, let the container's uid write its outputs: the run directory itself (not its other files) and
 * the output folders that exist, recursively (a resumed run's checkpoints).
 */
export async function handOver(
  runDir: string,
  outputs: string[],
  owner: { uid: number; gid: number },
): Promise<void> {
  const walk = async (path: string): Promise<void> => {
    await chown(path, owner.uid, owner.gid);
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(path, entry.name));
      else await chown(join(path, entry.name), owner.uid, owner.gid);
    }
  };
  await chown(runDir, owner.uid, owner.gid);
  for (const dir of outputs) if (existsSync(dir)) await walk(dir);
}

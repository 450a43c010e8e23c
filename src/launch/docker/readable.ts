import { chmod, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../../errors/index.js";

/**
 * The container's uid must be able to read the read-only inputs (a model saved 0600 by root is not):
 * say which file and what to do, instead of a "no such file" from inside the container.
 */
export async function assertReadable(
  paths: string[],
  owner: { uid: number; gid: number },
  who = `uid ${owner.uid}`,
): Promise<void> {
  for (const path of paths) {
    const unreadable = await firstUnreadable(path, owner);
    if (unreadable === undefined) continue;
    throw new UsageError(
      "docker-input-unreadable",
      `${unreadable} is not readable by ${who} in the container`,
      {
        hint: `make it readable (chmod -R a+rX ${path})${owner.uid >= 0 ? " or set runtime.user to its owner's uid" : ""}`,
      },
    );
  }
}

async function firstUnreadable(
  path: string,
  owner: { uid: number; gid: number },
): Promise<string | undefined> {
  const info = await stat(path);
  const bits = info.uid === owner.uid ? 0o400 : info.gid === owner.gid ? 0o040 : 0o004;
  const needed = info.isDirectory() ? bits | (bits >> 2) : bits;
  if (owner.uid !== 0 && (info.mode & needed) !== needed) return path;
  if (!info.isDirectory()) return undefined;
  for (const entry of await readdir(path)) {
    const found = await firstUnreadable(join(path, entry), owner);
    if (found) return found;
  }
  return undefined;
}

/**
 * `chmod -R a+rX`: what a remote engine's `docker cp` brings back keeps the container's modes (safetensors
 * writes 0600) but becomes this user's, and a resume copies it in again as root's there — where the
 * container's user could not read it.
 */
export async function makeReadable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.mode | (info.isDirectory() ? 0o555 : 0o444));
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await makeReadable(join(path, entry));
}

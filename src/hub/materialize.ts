import { chmod, cp, link, mkdir, mkdtemp, readdir, realpath, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { snapshotRepoFolder } from "./cache-layout.js";

/**
 * A cache snapshot as plain files, for an engine that gets its inputs by `docker cp` (which copies the
 * snapshot's symlinks as links, dangling on the other side). The files are hard links to the blobs in a
 * folder beside them — no bytes are copied here — or copies where hard links are not possible. Anything
 * that is not a snapshot is returned as it is.
 */
export async function materializeSnapshot(
  dir: string,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const repo = snapshotRepoFolder(dir);
  if (!repo) return { dir, remove: async () => {} };
  const flat = await mkdtemp(join(repo, ".flat-"));
  // mkdtemp makes it 0700; the copy keeps that mode, and the container's user must get through it.
  await chmod(flat, 0o755);
  await fill(dir, flat);
  return { dir: flat, remove: () => rm(flat, { recursive: true, force: true }) };
}

async function fill(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if ((await stat(source)).isDirectory()) {
      await mkdir(target, { recursive: true });
      await fill(source, target);
      continue;
    }
    const blob = await realpath(source);
    await link(blob, target).catch(() => cp(blob, target));
  }
}

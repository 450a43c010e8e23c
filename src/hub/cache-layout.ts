import { lstat, mkdir, readlink, stat, symlink, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";

/**
 * The Hugging Face cache layout (as `huggingface_hub` writes it, so transformers finds the files with
 * HF_HUB_OFFLINE=1): `<cache>/models--org--name/blobs/<etag>` holds each file's bytes once, named by its
 * etag (the LFS sha256, or the git blob sha1); `snapshots/<commit>/<path>` is a relative symlink to it;
 * `refs/<branch-or-tag>` holds the commit a name pointed to. A blob is only ever created by renaming a
 * verified `<etag>.incomplete`, so a blob that exists is whole.
 */
export interface RepoCache {
  storage: string;
  blob(etag: string): string;
  pointer(sha: string, path: string): string;
  snapshot(sha: string): string;
}

export function repoCache(storage: string): RepoCache {
  return {
    storage,
    blob: (etag) => join(storage, "blobs", etag),
    pointer: (sha, path) => join(storage, "snapshots", sha, ...path.split("/")),
    snapshot: (sha) => join(storage, "snapshots", sha),
  };
}

export async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Points snapshots/<sha>/<path> at its blob with a relative link (the cache can move as one folder). */
export async function linkPointer(pointer: string, blob: string): Promise<void> {
  await mkdir(dirname(pointer), { recursive: true });
  const target = relative(dirname(pointer), blob);
  const existing = await lstat(pointer).catch(() => undefined);
  if (existing?.isSymbolicLink() && (await readlink(pointer)) === target) return;
  if (existing) await unlink(pointer);
  await symlink(target, pointer);
}

export async function writeRef(storage: string, revision: string, sha: string): Promise<void> {
  if (revision === sha) return;
  const ref = join(storage, "refs", ...revision.split("/"));
  await mkdir(dirname(ref), { recursive: true });
  await writeFile(ref, sha);
}

/**
 * The repo folder (models--org--name) of a snapshot directory, when the path is one:
 * `<cache>/models--org--name/snapshots/<sha>` → `<cache>/models--org--name`.
 */
export function snapshotRepoFolder(dir: string): string | undefined {
  const parts = dir.split(sep);
  const at = parts.length - 2;
  if (at < 1 || parts[at] !== "snapshots" || !/^[0-9a-f]{40}$/.test(basename(dir))) return undefined;
  return /^(models|datasets)--/.test(parts[at - 1]!) ? parts.slice(0, at).join(sep) : undefined;
}

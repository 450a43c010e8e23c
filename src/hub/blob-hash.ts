import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * The hash a file's etag is made of: sha256 of the bytes for an LFS file; for a small git file the git blob
 * id, sha1 of `blob <size>\0` and the bytes. Either way a wrong byte anywhere changes it.
 */
export function etagHasher(lfs: boolean, size: number): Hash {
  if (lfs) return createHash("sha256");
  return createHash("sha1").update(`blob ${size}\0`);
}

/** Feeds the first `bytes` of a partial download into the hasher (a resumed download hashes from 0). */
export async function hashPrefix(hash: Hash, path: string, bytes: number): Promise<void> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
}

/** The etag as the Hub sends it (quoted, sometimes weak: `W/"…"`), bare. */
export function bareEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"|"$/g, "");
}

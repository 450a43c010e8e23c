import { createWriteStream } from "node:fs";
import { chmod, rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { FailedError } from "../errors/index.js";
import { backoffDelay, sleep } from "../retry/index.js";
import { etagHasher, hashPrefix } from "./blob-hash.js";
import { linkPointer, sizeOf, type RepoCache } from "./cache-layout.js";
import type { HubAccess } from "./env.js";
import { HUB_RETRY, HubHttpError } from "./fetch.js";
import { formatBytes } from "./progress.js";

/** One file of a snapshot: where it comes from and what its bytes must be. */
export interface FileJob {
  path: string;
  size: number;
  /** The LFS sha256 or the git blob sha1: the blob's name in the cache and the hash it must have. */
  etag: string;
  lfs: boolean;
  url: string;
}

/**
 * Puts one file in the cache: nothing to do when its blob is there (a blob exists only once verified);
 * else resumes `<blob>.incomplete` from its current length with a Range request (retrying a broken
 * transfer from where it stopped), checks size and etag, and only then renames it to the blob and links
 * the snapshot path to it. Returns the bytes fetched.
 */
export async function fetchFile(
  job: FileJob,
  cache: RepoCache,
  sha: string,
  access: HubAccess,
  onBytes: (n: number) => void,
): Promise<number> {
  const blob = cache.blob(job.etag);
  if ((await sizeOf(blob)) === job.size) {
    await linkPointer(cache.pointer(sha, job.path), blob);
    return 0;
  }
  const partial = `${blob}.incomplete`;
  let fetched = 0;
  let digest: string | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const part = await appendRest(job, partial, access, onBytes);
      fetched += part.written;
      digest = part.digest;
      break;
    } catch (error) {
      if (isDiskFull(error)) throw diskFull(job, partial, error);
      // The Hub's own answers (refused, gated, gone) and bad bytes are final; a broken transfer is resumed.
      if (error instanceof FailedError || error instanceof HubHttpError || attempt + 1 >= HUB_RETRY.attempts)
        throw error;
      await sleep(backoffDelay(HUB_RETRY, attempt));
    }
  }
  await verify(job, partial, digest);
  await chmod(partial, 0o644);
  await rename(partial, blob);
  await linkPointer(cache.pointer(sha, job.path), blob);
  return fetched;
}

/**
 * Appends what is missing of the file to the partial one, hashing as it goes (a resumed file's prefix is
 * read back once), so a whole file is read only once; returns the bytes written and the digest.
 */
async function appendRest(
  job: FileJob,
  partial: string,
  access: HubAccess,
  onBytes: (n: number) => void,
): Promise<{ written: number; digest?: string }> {
  let offset = (await sizeOf(partial)) ?? 0;
  if (offset > job.size) {
    await rm(partial, { force: true });
    offset = 0;
  }
  if (offset === job.size) return { written: 0 };
  const headers: Record<string, string> = offset > 0 ? { Range: `bytes=${offset}-` } : {};
  if (access.accessToken) headers.Authorization = `Bearer ${access.accessToken}`;
  const response = await access.fetch(job.url, { headers });
  if (!response.ok || !response.body) {
    throw new FailedError("hub-download", `downloading ${job.path} failed: HTTP ${response.status}`);
  }
  // A server that ignores Range sends the whole file: start over rather than append it to the prefix.
  const restart = offset > 0 && response.status !== 206;
  const hash = etagHasher(job.lfs, job.size);
  if (!restart) await hashPrefix(hash, partial, offset);
  let written = 0;
  async function* hashed(body: AsyncIterable<Uint8Array>) {
    for await (const chunk of body) {
      hash.update(chunk);
      written += chunk.length;
      onBytes(chunk.length);
      yield chunk;
    }
  }
  const out = createWriteStream(partial, { flags: restart ? "w" : "a" });
  await pipeline(hashed(response.body as AsyncIterable<Uint8Array>), out);
  return { written, digest: hash.digest("hex") };
}

/** Size and etag of the partial file; `streamed` is its digest when the download computed it. */
async function verify(job: FileJob, partial: string, streamed: string | undefined): Promise<void> {
  const size = (await sizeOf(partial)) ?? 0;
  let problem: string | undefined;
  if (size !== job.size) problem = `${formatBytes(size)} arrived, ${formatBytes(job.size)} expected`;
  else {
    const hash = etagHasher(job.lfs, job.size);
    if (!streamed) await hashPrefix(hash, partial, size);
    const digest = streamed ?? hash.digest("hex");
    if (digest !== job.etag)
      problem = `its ${job.lfs ? "sha256" : "git blob id"} is ${digest}, the Hub says ${job.etag}`;
  }
  if (problem) {
    await rm(partial, { force: true });
    throw new FailedError(
      "hub-download-corrupt",
      `downloaded ${job.path} does not match the Hub (${problem}); it was discarded`,
      {
        hint: "run again to download it anew; if it keeps happening, the endpoint (HF_ENDPOINT, a proxy) serves altered files",
      },
    );
  }
}

const isDiskFull = (error: unknown) =>
  (error as NodeJS.ErrnoException).code === "ENOSPC" || (error as NodeJS.ErrnoException).code === "EDQUOT";

function diskFull(job: FileJob, partial: string, error: unknown): FailedError {
  return new FailedError(
    "disk-full",
    `the disk is full: downloading ${job.path} (${formatBytes(job.size)}) stopped in ${partial}`,
    {
      hint: "free space there, or set HF_HUB_CACHE (or HF_HOME) to a bigger disk; the partial file is resumed on the next run and never used as a complete one",
      cause: error,
    },
  );
}

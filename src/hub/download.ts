import type { ListFileEntry } from "@huggingface/hub";
import { mkdir, statfs } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors/index.js";
import { bareEtag } from "./blob-hash.js";
import { repoCache, sizeOf, writeRef } from "./cache-layout.js";
import type { HubAccess } from "./env.js";
import { fetchFile, type FileJob } from "./download-file.js";
import { repoFolderName, type HubRef } from "./model-ref.js";
import { ByteProgress, formatBytes, type ProgressSnapshot } from "./progress.js";

/** What the tree listing and paths-info both give for a file. */
export type RepoFile = Pick<ListFileEntry, "path" | "size" | "oid" | "lfs">;

export interface DownloadResult {
  /** snapshots/<sha>: what transformers loads (the same path HF_HUB_OFFLINE=1 resolves the id to). */
  dir: string;
  files: number;
  /** Bytes fetched from the Hub by this call (0 when everything was in the cache). */
  downloaded: number;
  /** Bytes the files take in all. */
  total: number;
}

export interface DownloadOptions {
  cacheDir: string;
  access: HubAccess;
  /** Files fetched at once. */
  concurrency?: number;
  onProgress?: (progress: ProgressSnapshot) => void;
}

/**
 * Downloads these files of a repo at commit `sha` into the Hugging Face cache, several at once; files
 * already there cost nothing. Refuses up front when the disk cannot hold what is missing.
 */
export async function downloadSnapshot(
  ref: HubRef,
  sha: string,
  files: RepoFile[],
  options: DownloadOptions,
): Promise<DownloadResult> {
  const cache = repoCache(join(options.cacheDir, repoFolderName(ref)));
  const jobs = files.map((file) => jobOf(ref, sha, file, options.access.hubUrl));
  const total = jobs.reduce((sum, job) => sum + job.size, 0);
  const missing = await bytesMissing(jobs, (etag) => cache.blob(etag));
  await mkdir(join(cache.storage, "blobs"), { recursive: true });
  await checkFreeSpace(cache.storage, missing);
  const progress = new ByteProgress(missing);
  const timer = options.onProgress && setInterval(() => options.onProgress!(progress.snapshot()), 250);
  let downloaded = 0;
  try {
    const queue = [...jobs].sort((a, b) => b.size - a.size);
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const bytes = await fetchFile(job, cache, sha, options.access, (n) => progress.add(n));
        downloaded += bytes;
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, jobs.length) }, worker));
  } finally {
    if (timer) clearInterval(timer);
  }
  options.onProgress?.(progress.snapshot());
  await writeRef(cache.storage, ref.revision, sha);
  return { dir: cache.snapshot(sha), files: jobs.length, downloaded, total };
}

function jobOf(ref: HubRef, sha: string, file: RepoFile, hubUrl: string): FileJob {
  const prefix = ref.type === "dataset" ? "datasets/" : "";
  const path = file.path.split("/").map(encodeURIComponent).join("/");
  return {
    path: file.path,
    size: file.lfs?.size ?? file.size,
    etag: bareEtag(file.lfs?.oid ?? file.oid ?? ""),
    lfs: Boolean(file.lfs),
    url: `${hubUrl}/${prefix}${ref.id}/resolve/${sha}/${path}`,
  };
}

async function bytesMissing(jobs: FileJob[], blob: (etag: string) => string): Promise<number> {
  let missing = 0;
  for (const job of jobs) {
    if ((await sizeOf(blob(job.etag))) !== job.size)
      missing += job.size - ((await sizeOf(`${blob(job.etag)}.incomplete`)) ?? 0);
  }
  return Math.max(0, missing);
}

async function checkFreeSpace(dir: string, needed: number): Promise<void> {
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  if (needed > free) {
    throw new UsageError(
      "disk-too-small",
      `the model needs ${formatBytes(needed)} more in ${dir}, but only ${formatBytes(free)} is free`,
      {
        hint: "free space there, or set HF_HUB_CACHE (or HF_HOME) to a disk with room",
      },
    );
  }
}

/** The snapshot directory when every one of these files is already in the cache (nothing to fetch). */
export async function cachedSnapshot(
  ref: HubRef,
  sha: string,
  files: RepoFile[],
  cacheDir: string,
): Promise<string | undefined> {
  const cache = repoCache(join(cacheDir, repoFolderName(ref)));
  for (const file of files) {
    const job = jobOf(ref, sha, file, "");
    if ((await sizeOf(cache.pointer(sha, file.path))) !== job.size) return undefined;
  }
  return cache.snapshot(sha);
}

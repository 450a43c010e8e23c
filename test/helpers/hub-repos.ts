import { createHash } from "node:crypto";
import { createReadStream, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The repositories a loopback Hub serves: each a list of commits of files, with branches and tags. A file's
 * `oid` is its git blob sha1 (what the Hub's tree and paths-info give); an LFS file also has its sha256,
 * which the Hub sends as its ETag (`X-Linked-Etag`).
 */
export interface HubFile {
  path: string;
  size: number;
  oid: string;
  /** sha256 of the content, for LFS files (large or binary). */
  lfs?: string;
  /** The bytes, or the file on disk that holds them (big files are never read into memory). */
  bytes?: Buffer;
  diskPath?: string;
}

export interface HubCommit {
  sha: string;
  summary: string;
  files: Map<string, HubFile>;
}

export interface HubRepo {
  type: "model" | "dataset";
  id: string;
  private: boolean;
  gated: false | "manual";
  license?: string;
  commits: HubCommit[];
  refs: Map<string, string>;
}

const LFS_SUFFIXES = [".safetensors", ".bin", ".pth", ".parquet", ".gguf", ".pt"];

export function gitBlobSha(bytes: Buffer): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

export function hubFile(path: string, bytes: Buffer): HubFile {
  const lfs = LFS_SUFFIXES.some((suffix) => path.endsWith(suffix)) || bytes.length > 10 * 1024 * 1024;
  return {
    path,
    size: bytes.length,
    oid: gitBlobSha(bytes),
    bytes,
    ...(lfs ? { lfs: createHash("sha256").update(bytes).digest("hex") } : {}),
  };
}

/** A big LFS file served from disk; its sha256 is read once, streaming. */
export async function hubDiskFile(path: string, diskPath: string): Promise<HubFile> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(diskPath)) hash.update(chunk as Buffer);
  const sha = hash.digest("hex");
  return { path, size: statSync(diskPath).size, oid: sha.slice(0, 40), lfs: sha, diskPath };
}

export function commitSha(parent: string | undefined, files: Iterable<HubFile>, summary: string): string {
  const hash = createHash("sha1")
    .update(parent ?? "")
    .update(summary);
  for (const file of files) hash.update(`${file.path}:${file.oid}\n`);
  return hash.digest("hex");
}

/** A repository with one commit of these files on `main`. */
export function makeRepo(
  type: HubRepo["type"],
  id: string,
  files: HubFile[],
  options: Partial<Pick<HubRepo, "private" | "gated" | "license">> = {},
): HubRepo {
  const map = new Map(files.map((file) => [file.path, file]));
  const sha = commitSha(undefined, files, "initial commit");
  return {
    type,
    id,
    private: options.private ?? false,
    gated: options.gated ?? false,
    license: options.license,
    commits: [{ sha, summary: "initial commit", files: map }],
    refs: new Map([["main", sha]]),
  };
}

/** A new commit on `main` with these files changed (or added); returns its sha. */
export function addCommit(repo: HubRepo, changed: HubFile[], deleted: string[], summary: string): string {
  const head = repo.commits.find((c) => c.sha === repo.refs.get("main"))!;
  const files = new Map(head.files);
  for (const file of changed) files.set(file.path, file);
  for (const path of deleted) files.delete(path);
  const sha = commitSha(head.sha, files.values(), summary);
  repo.commits.push({ sha, summary, files });
  repo.refs.set("main", sha);
  return sha;
}

/** A branch, tag or full commit sha → the commit; undefined when the revision does not exist. */
export function findCommit(repo: HubRepo, revision: string): HubCommit | undefined {
  const rev = decodeURIComponent(revision);
  const sha = repo.refs.get(rev) ?? (rev === "HEAD" ? repo.refs.get("main") : rev);
  return repo.commits.find((commit) => commit.sha === sha);
}

/** The files of a model directory on disk (e.g. the built-in tiny model), as repo files. */
export function filesOfDir(dir: string, skip: string[] = []): HubFile[] {
  return readdirSync(dir)
    .filter((name) => !skip.includes(name) && statSync(join(dir, name)).isFile())
    .map((name) => hubFile(name, readFileSync(join(dir, name))));
}

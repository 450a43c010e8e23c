import { commit, createRepo, listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { createHash } from "node:crypto";
import type { HubAccess } from "../env.js";
import { HubHttpError } from "../fetch.js";

export interface RepoFileContent {
  path: string;
  bytes: Buffer;
}

export interface UploadResult {
  created: boolean;
  /** The new commit; undefined when the repo already held exactly these files. */
  commit: string | undefined;
  changed: string[];
}

/**
 * Puts these files in a model repo's main branch in one commit, creating the (private) repo first when
 * it does not exist. Files the repo already holds byte for byte (by git blob id, or sha256 for LFS files)
 * are left out; when none is left, nothing is committed, so publishing the same run twice makes no commit.
 */
export async function uploadFiles(
  repo: string,
  files: RepoFileContent[],
  options: { private: boolean; title: string },
  access: HubAccess & { accessToken: string },
): Promise<UploadResult> {
  const created = await ensureRepo(repo, options.private, access);
  const remote = new Map<string, ListFileEntry>();
  for await (const entry of listFiles({ ...access, repo, recursive: true })) remote.set(entry.path, entry);
  const changed = files.filter((file) => !sameContent(file.bytes, remote.get(file.path)));
  if (changed.length === 0) return { created, commit: undefined, changed: [] };
  const result = await commit({
    ...access,
    repo,
    title: options.title,
    operations: changed.map((file) => ({
      operation: "addOrUpdate" as const,
      path: file.path,
      content: new Blob([new Uint8Array(file.bytes)]),
    })),
  });
  return { created, commit: result?.commit.oid, changed: changed.map((file) => file.path) };
}

async function ensureRepo(repo: string, isPrivate: boolean, access: HubAccess & { accessToken: string }) {
  try {
    await modelInfo({ ...access, name: repo });
    return false;
  } catch (error) {
    if (!(error instanceof HubHttpError && error.errorCode === "RepoNotFound")) throw error;
  }
  await createRepo({ ...access, repo, private: isPrivate });
  return true;
}

function sameContent(bytes: Buffer, remote: ListFileEntry | undefined): boolean {
  if (!remote || remote.type !== "file") return false;
  if (remote.lfs) return remote.lfs.oid === createHash("sha256").update(bytes).digest("hex");
  const gitId = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
  return remote.oid === gitId;
}

import { datasetInfo, listFiles, pathsInfo } from "@huggingface/hub";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors/index.js";
import { hubAccess } from "./access.js";
import { repoCache } from "./cache-layout.js";
import { downloadSnapshot } from "./download.js";
import { hubCacheDir, type HubAccess } from "./env.js";
import { explainHubError } from "./errors.js";
import { isHubDatasetUri, parseDatasetUri, type DatasetFileRef } from "./dataset-uri.js";
import { repoFolderName } from "./model-ref.js";
import { summarize } from "./resolve.js";

// One resolution per file and process: validate and format read the same file in one run.
const fetched = new Map<string, Promise<string>>();

/**
 * The local file to read for a dataset location: a plain path as it is; an `hf://datasets/…` path fetched
 * into the Hugging Face cache (datasets--org--name/snapshots/<commit>/…), once per revision — with
 * HF_HUB_OFFLINE=1 only the cache is read.
 */
export function localDatasetFile(location: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!isHubDatasetUri(location)) return Promise.resolve(location);
  let file = fetched.get(location);
  if (!file) {
    file = fetchDatasetFile(parseDatasetUri(location), location, env);
    fetched.set(location, file);
    file.catch(() => fetched.delete(location));
  }
  return file;
}

async function fetchDatasetFile(file: DatasetFileRef, uri: string, env: NodeJS.ProcessEnv): Promise<string> {
  const cache = repoCache(join(hubCacheDir(env), repoFolderName(file.ref)));
  if (env.HF_HUB_OFFLINE === "1" || env.HF_HUB_OFFLINE === "true") return fromCacheOnly(file, uri, cache);
  const access = hubAccess(env);
  try {
    const info = await datasetInfo({
      ...access,
      name: file.ref.id,
      revision: file.ref.revision,
      additionalFields: ["sha"],
    });
    const [entry] = await pathsInfo({ ...access, repo: repo(file), paths: [file.path], revision: info.sha });
    if (!entry || entry.type !== "file") throw await missingFile(file, uri, info.sha, access);
    await downloadSnapshot(file.ref, info.sha, [entry], { cacheDir: hubCacheDir(env), access });
    return cache.pointer(info.sha, file.path);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw explainHubError(error, file.ref, access.hubUrl, Boolean(access.accessToken));
  }
}

const repo = (file: DatasetFileRef) => ({ type: "dataset" as const, name: file.ref.id });

async function missingFile(
  file: DatasetFileRef,
  uri: string,
  sha: string,
  access: HubAccess,
): Promise<UsageError> {
  const files = [];
  for await (const entry of listFiles({ ...access, repo: repo(file), revision: sha, recursive: true })) {
    if (entry.type === "file") files.push(entry);
  }
  const data = files.filter((f) => /\.(jsonl|json|parquet)$/.test(f.path));
  return new UsageError(
    "hf-file-not-found",
    `${uri}: ${file.ref.id}@${file.ref.revision} has no file ${file.path}`,
    {
      hint: `its dataset files: ${summarize(data.length ? data : files, 20)}`,
    },
  );
}

function fromCacheOnly(file: DatasetFileRef, uri: string, cache: ReturnType<typeof repoCache>): string {
  const ref = join(cache.storage, "refs", ...file.ref.revision.split("/"));
  const sha = /^[0-9a-f]{40}$/.test(file.ref.revision)
    ? file.ref.revision
    : existsSync(ref)
      ? readFileSync(ref, "utf8").trim()
      : undefined;
  const pointer = sha && cache.pointer(sha, file.path);
  if (pointer && existsSync(pointer)) return pointer;
  throw new UsageError(
    "hf-offline-missing",
    `${uri} is not in the Hugging Face cache and HF_HUB_OFFLINE is set`,
    {
      hint: "run once with the network (unset HF_HUB_OFFLINE) to cache it",
    },
  );
}

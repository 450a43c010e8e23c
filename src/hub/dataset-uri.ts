import { UsageError } from "../errors/index.js";
import type { HubRef } from "./model-ref.js";

export interface DatasetFileRef {
  ref: HubRef;
  /** The file's path inside the repo. */
  path: string;
}

// hf://datasets/org/name[@rev]/path/to/file[@rev]: the revision after the name is how huggingface_hub's
// HfFileSystem writes it; after the path is accepted too.
const URI = /^hf:\/\/datasets\/([^/@]+\/[^/@]+)(?:@([^/]+))?\/(.+?)(?:@([^/@]+))?$/;

export const isHubDatasetUri = (text: string): boolean => text.startsWith("hf://");

/** `hf://datasets/org/name/data/train.jsonl@v1` → the repo, revision and file. */
export function parseDatasetUri(uri: string): DatasetFileRef {
  const match = URI.exec(uri);
  if (!match || (match[2] && match[4])) {
    throw new UsageError("bad-hf-uri", `${uri} is not a Hub dataset path`, {
      hint: "write hf://datasets/<org>/<name>/<path in the repo>, optionally with @<revision> after the name or the path",
    });
  }
  return {
    ref: { type: "dataset", id: match[1]!, revision: match[2] ?? match[4] ?? "main" },
    path: match[3]!,
  };
}

import { fileDownloadInfo, listFiles, modelInfo, type ListFileEntry } from "@huggingface/hub";
import { UsageError } from "../errors/index.js";
import type { HubAccess } from "./env.js";
import { explainHubError } from "./errors.js";
import type { HubRef } from "./model-ref.js";

/** A model repo pinned to one commit: what preflight checks and the download fetches. */
export interface ResolvedModel {
  ref: HubRef;
  /** The commit sha the revision pointed to when resolved; the run records it. */
  sha: string;
  license: string | undefined;
  gated: false | "auto" | "manual";
  private: boolean;
  /** Every file of the repo at that commit, with size and oid (LFS: sha256). */
  files: ListFileEntry[];
}

/**
 * Resolves a model id and revision to a commit and lists its files. Every failure is a message naming the
 * repo and what to do (exit 2), before anything is downloaded or formatted.
 */
export async function resolveModel(ref: HubRef, access: HubAccess): Promise<ResolvedModel> {
  try {
    const info = await modelInfo({
      ...access,
      name: ref.id,
      revision: ref.revision,
      additionalFields: ["sha", "cardData", "tags"],
    });
    const files: ListFileEntry[] = [];
    for await (const entry of listFiles({ ...access, repo: ref.id, revision: info.sha, recursive: true })) {
      if (entry.type === "file") files.push(entry);
    }
    if (!files.some((file) => file.path === "config.json")) {
      throw new UsageError(
        "hub-not-a-model",
        `${ref.id} has no config.json: it is not a transformers model`,
        {
          hint: `base_model must be a causal language model repo; it has ${summarize(files)}`,
        },
      );
    }
    return {
      ref,
      sha: info.sha,
      license: licenseOf(info.cardData, info.tags),
      gated: info.gated,
      private: info.private,
      files,
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw explainHubError(error, ref, access.hubUrl, Boolean(access.accessToken));
  }
}

/** A repo's license: its card's `license`, else a `license:` tag. */
export function licenseOf(cardData: unknown, tags: string[] | undefined): string | undefined {
  const fromCard = (cardData as { license?: unknown } | undefined)?.license;
  if (typeof fromCard === "string") return fromCard;
  return tags?.find((tag) => tag.startsWith("license:"))?.slice("license:".length);
}

/** A short list of what a repo holds, for messages. */
export function summarize(files: { path: string }[], max = 12): string {
  const names = files.map((file) => file.path);
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown || "no files";
}

/**
 * Checks that this token may download the files: a gated repo's metadata is public, its files are not, so
 * one small file is probed (one byte of config.json).
 */
export async function checkFileAccess(model: ResolvedModel, access: HubAccess): Promise<void> {
  try {
    await fileDownloadInfo({ ...access, repo: model.ref.id, path: "config.json", revision: model.sha });
  } catch (error) {
    throw explainHubError(error, model.ref, access.hubUrl, Boolean(access.accessToken));
  }
}

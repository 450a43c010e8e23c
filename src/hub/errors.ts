import { FailedError, UsageError, type PipelineError, messageOf } from "../errors/index.js";
import { HubHttpError } from "./fetch.js";
import { repoPage, type HubRef } from "./model-ref.js";

/**
 * A failed Hub call → what the user reads: which repo, why (missing, private, gated, bad revision, refused
 * token, unreachable) and what to do. Input problems exit 2; a Hub that cannot be reached exits 1.
 */
export function explainHubError(
  error: unknown,
  ref: HubRef,
  hubUrl: string,
  hasToken: boolean,
): PipelineError {
  const what = ref.type === "dataset" ? "dataset" : "model";
  const page = repoPage(hubUrl, ref);
  if (error instanceof HubHttpError) {
    switch (error.errorCode) {
      case "RepoNotFound":
        return new UsageError("hub-repo-not-found", `no such ${what} ${ref.id} on ${hubUrl}`, {
          hint: hasToken
            ? `check the id; if the repo is private, HF_TOKEN must belong to an account that can read it`
            : `check the id; if the repo is private, set HF_TOKEN to a token that can read it`,
        });
      case "GatedRepo":
        return new UsageError(
          "hub-gated",
          `${what} ${ref.id} is gated: its files need accepted terms and a token`,
          {
            hint: hasToken
              ? `the account of HF_TOKEN has no access yet: accept the terms at ${page} (logged in as that account), then run again`
              : `accept the terms at ${page}, then set HF_TOKEN to a read token of that account`,
          },
        );
      case "RevisionNotFound":
        return new UsageError(
          "hub-revision-not-found",
          `${what} ${ref.id} has no revision "${ref.revision}"`,
          {
            hint: `use a branch, a tag or a full commit sha that exists (see ${page}/tree/main); or drop @${ref.revision} for main`,
          },
        );
    }
    if (error.status === 401 || error.status === 403) {
      return new UsageError(
        "hub-token-refused",
        `${hubUrl} refused HF_TOKEN for ${ref.id} (${error.status})`,
        {
          hint: "the token is invalid, expired or lacks the permission: make a new one and set HF_TOKEN",
        },
      );
    }
  }
  if (isNetworkError(error)) {
    return new FailedError("hub-unreachable", `cannot reach the Hub at ${hubUrl} for ${ref.id}`, {
      hint: "check the network, or HF_ENDPOINT for a mirror; a model already in the cache runs with HF_HUB_OFFLINE=1",
      cause: error,
    });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new UsageError("hub-request", `${hubUrl} answered ${status} for ${ref.id}: ${messageOf(error)}`);
  }
  return new FailedError("hub-request", `the Hub call for ${ref.id} failed: ${messageOf(error)}`, {
    cause: error,
  });
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed|network/i.test(error.message);
}

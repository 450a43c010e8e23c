import type { UploadResult } from "../../checkpoints/index.js";
import type { RunConfig } from "../../config/index.js";
import { FailedError } from "../../errors/index.js";
import type { RunPaths } from "../../run-dir/index.js";

/** What the run put in (and failed to put in) its store, for report.json; null without a store of its own. */
export function storeOutcome(checkpoints: RunConfig["checkpoints"], uploads: UploadResult[] | undefined) {
  if (!uploads) return null;
  return {
    uri: checkpoints.store ?? "the runs directory",
    stored: uploads.filter((u) => u.ok).map((u) => u.job.label),
    not_stored: uploads.filter((u) => !u.ok).map((u) => ({ what: u.job.label, error: u.error ?? "" })),
  };
}

/**
 * A run whose checkpoints, adapter, state or report did not reach its store must not end as a plain
 * success: on a machine that can vanish, what is only on its disk is not safe. Exit 1, naming what is missing.
 */
export function assertStored(
  checkpoints: RunConfig["checkpoints"],
  paths: RunPaths,
  uploads: UploadResult[] | undefined,
): void {
  const missing = uploads?.filter((u) => !u.ok) ?? [];
  if (missing.length === 0) return;
  const what = missing.map((u) => u.job.label).join(", ");
  throw new FailedError(
    "not-stored",
    `run ${paths.id}: ${missing.length} of ${uploads!.length} uploads to ${checkpoints.store} failed (${what})`,
    {
      problems: missing.map((u) => ({ location: u.uri, message: u.error ?? "not uploaded" })),
      hint:
        `what was not stored is only in ${paths.dir} on this machine; once the store works again, ` +
        `\`pipeline run --resume ${paths.id}\` stores the run state and the adapter again ` +
        "(`pipeline checkpoints verify` shows what the store holds)",
    },
  );
}

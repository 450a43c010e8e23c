import { FailedError } from "../../errors/index.js";
import type { RunContext } from "./context.js";

/** What the run put in (and failed to put in) its s3:// store, for report.json; null with a local store. */
export function storeOutcome(ctx: RunContext) {
  if (!ctx.uploads) return null;
  return {
    uri: ctx.config.checkpoints.store,
    stored: ctx.uploads.filter((u) => u.ok).map((u) => u.job.label),
    not_stored: ctx.uploads.filter((u) => !u.ok).map((u) => ({ what: u.job.label, error: u.error ?? "" })),
  };
}

/**
 * A run whose checkpoints, adapter, state or report did not reach its store must not end as a plain
 * success: on a machine that can vanish, what is only on its disk is not safe. Exit 1, naming what is missing.
 */
export function assertStored(ctx: RunContext): void {
  const missing = ctx.uploads?.filter((u) => !u.ok) ?? [];
  if (missing.length === 0) return;
  const what = missing.map((u) => u.job.label).join(", ");
  throw new FailedError(
    "not-stored",
    `run ${ctx.paths.id}: ${missing.length} of ${ctx.uploads!.length} uploads to ${ctx.config.checkpoints.store} failed (${what})`,
    {
      problems: missing.map((u) => ({ location: u.uri, message: u.error ?? "not uploaded" })),
      hint:
        `what was not stored is only in ${ctx.paths.dir} on this machine; once the store works again, ` +
        `\`pipeline run --resume ${ctx.paths.id}\` stores the run state and the adapter again ` +
        "(`pipeline checkpoints verify` shows what the store holds)",
    },
  );
}

import type { Command } from "commander";
import { lazy } from "./lazy.js";

/** `checkpoints list|verify|pull|prune` on a run's store (a directory or s3://). */
export function storeCommands(program: Command): void {
  const checkpoints = program
    .command("checkpoints")
    .description(
      "List, verify, pull and prune a run's checkpoints (the runs directory, a store directory or s3://).",
    );
  const store = (command: Command) =>
    command
      .argument(
        "<run>",
        "a run id (its config names the store) or the run's location: s3://…/<run-id>, <store dir>/<run-id> or a run directory",
      )
      .option("--runs-dir <dir>", "where run directories live", "runs")
      .option("--endpoint <url>", "S3-compatible endpoint for an s3:// URI (default AWS_ENDPOINT_URL)")
      .option("--region <region>", "S3 region for an s3:// URI (default AWS_REGION)")
      .option("--path-style", "path-style S3 addressing (default on with --endpoint)");
  store(checkpoints.command("list").description("Step, size and whether each checkpoint is complete."))
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/checkpoints.js"), "checkpointsList"));
  store(
    checkpoints
      .command("verify")
      .description("Re-hash stored files against their manifests; exit 1 on a mismatch."),
  )
    .option("--step <n>", "only this step")
    .action(lazy(() => import("../commands/checkpoints.js"), "checkpointsVerify"));
  store(
    checkpoints.command("pull").description("Download the newest (or --step) complete, verified checkpoint."),
  )
    .option("--step <n>", "this step instead of the newest")
    .option("--folder <name>", "another stored folder of the run instead: adapter, state or report")
    .requiredOption("-o, --output <dir>", "the folder to write the checkpoint into")
    .action(lazy(() => import("../commands/checkpoints.js"), "checkpointsPull"));
  store(
    checkpoints
      .command("prune")
      .description("Delete checkpoints beyond keep_last and abort stale multipart uploads."),
  )
    .option("--keep-last <n>", "keep this many newest complete checkpoints (default the run's keep_last)")
    .option(
      "--keep-best <metric:mode>",
      "never delete the best by this metric, e.g. eval_loss:min (default the run's keep_best)",
    )
    .option("--stale-minutes <n>", "abort multipart uploads started longer ago than this", "60")
    .action(lazy(() => import("../commands/checkpoints.js"), "checkpointsPrune"));
}

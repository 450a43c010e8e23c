import type { Command } from "commander";
import { lazy } from "./lazy.js";

/** `publish` and `model pull`: the Hugging Face Hub (HF_ENDPOINT, HF_TOKEN, HF_HOME). */
export function hubCommands(program: Command): void {
  program
    .command("publish")
    .description("Upload a passing run's adapter and model card to a Hugging Face Hub repo (HF_TOKEN).")
    .argument(
      "<run>",
      "a run id (in --runs-dir) or its location in its store (s3://…/<run-id> or <store dir>/<run-id>)",
    )
    .requiredOption("--repo <org/name>", "the model repo; created when missing")
    .option("--private", "create the repo private")
    .option("--force", "publish even when the run's gates failed")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--endpoint <url>", "S3-compatible endpoint for an s3:// run")
    .option("--region <region>", "S3 region for an s3:// run")
    .option("--path-style", "path-style S3 addressing")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/publish.js"), "publish"));

  program
    .command("model")
    .description("Base models from the Hugging Face Hub (HF_ENDPOINT, HF_TOKEN, HF_HOME).")
    .command("pull")
    .description("Resolve a model and download what training needs into the Hugging Face cache.")
    .argument("<id>", "org/name, optionally @branch, @tag or @commit-sha")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/model.js"), "modelPull"));
}

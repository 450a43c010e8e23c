import { type Command, Option } from "commander";
import { lazy } from "./lazy.js";

/** `run` and `eval`: training a run and evaluating an adapter. */
export function runCommands(program: Command): void {
  program
    .command("run")
    .description("Fine-tune: validate data, format, render, preflight, train, save.")
    .argument("[config]", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option(
      "--resume <run-id|location>",
      "continue a run from its newest complete checkpoint; its location in its store (s3://bucket/prefix/<run-id> or <store dir>/<run-id>) recreates it from there",
    )
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "one JSON event per line instead of the live display")
    .addOption(new Option("--run-id <id>", "use this id for a new run (queue workers)").hideHelp())
    .option("--endpoint <url>", "S3-compatible endpoint for --resume s3://… (default AWS_ENDPOINT_URL)")
    .option("--region <region>", "S3 region for --resume s3://… (default AWS_REGION)")
    .option("--path-style", "path-style S3 addressing (default on with --endpoint)")
    .action(lazy(() => import("../commands/run.js"), "run"));

  program
    .command("eval")
    .description("Compare an adapter with its base model on eval suites: scores, 95 % CIs, p-values, gates.")
    .requiredOption("--base <model>", "base model: a model directory, a hub id, or builtin:tiny")
    .requiredOption("--adapter <dir>", "PEFT adapter directory (e.g. runs/<id>/adapter)")
    .requiredOption("--suite <files...>", "eval suite YAML file(s)")
    .addOption(
      new Option("--template <name>", "the chat template the adapter was trained with")
        .choices(["alpaca", "chatml", "llama3", "model"])
        .default("chatml"),
    )
    .option("--heldout <file>", "formatted eval split (eval.jsonl) for suites with `cases: heldout`")
    .option("--out <dir>", "where generations and results.json are written", "eval-results")
    .addOption(new Option("--device <device>", "device").choices(["auto", "cpu", "cuda"]).default("auto"))
    .option("--seed <n>", "seed of generation and of the statistics", "0")
    .option(
      "--gate <gate...>",
      "a condition the adapter must meet, e.g. 'exact_match: >= base + 0.05' or '>= champion - 0.01' (repeatable)",
    )
    .option(
      "--compare-to <dir>",
      "a champion adapter (same base): compared with --adapter on the same cases; gates may name `champion`",
    )
    .option(
      "--python <path>",
      "Python interpreter with torch, transformers and peft (default: the managed venv)",
    )
    .option("--json", "print the results as one JSON object")
    .option(
      "--endpoint <url>",
      "also send each prompt to this OpenAI-compatible server (/v1/completions) and compare",
    )
    .option("--served-model <name>", "with --endpoint: the model name the server knows")
    .option("--min-agreement <share>", "with --endpoint: exit 1 below this share of identical answers", "1")
    .action(lazy(() => import("../commands/eval.js"), "evalCommand"));
}

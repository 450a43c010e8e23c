import { type Command, Option } from "commander";
import { lazy } from "./lazy.js";

const FORMATS = ["auto", "alpaca", "sharegpt", "messages", "text", "preference", "kto"];

/** `dataset validate|format` and `config validate|render|schema`. */
export function dataCommands(program: Command): void {
  const dataset = program.command("dataset").description("Validate and format instruction datasets.");
  dataset
    .command("validate")
    .description("Check dataset files before any GPU is spent; every problem with its location.")
    .argument("<files...>", "JSONL or JSON-array files")
    .addOption(new Option("--format <format>", "dataset format").choices(FORMATS).default("auto"))
    .option("--eval <file>", "an eval split to check for overlap with the training files")
    .option("--tokenizer <path>", "a tokenizer.json or model directory for exact token counts")
    .option("--max-tokens <n>", "rows longer than this many tokens get a warning", "4096")
    .option(
      "--workers <n>",
      "threads for a JSON Lines file (0: none; default: one per core, up to 4, from 8 MiB)",
    )
    .option("--json", "print one JSON object per file")
    .action(lazy(() => import("../commands/dataset-validate.js"), "datasetValidate"));
  dataset
    .command("format")
    .description("Normalize, apply a prompt/chat template and split into train/eval.")
    .argument("<file>", "a JSONL or JSON-array file")
    .addOption(new Option("--format <format>", "dataset format").choices(FORMATS).default("auto"))
    .requiredOption(
      "--template <name>",
      "alpaca | chatml | llama3 | model (the base model's own chat template)",
    )
    .option("--model <path>", "model directory whose tokenizer_config.json holds the chat template")
    .option("--eval-split <fraction>", "fraction of rows held out for eval", "0.1")
    .option("--seed <n>", "seed for the deterministic split", "42")
    .addOption(
      new Option(
        "--reasoning <mode>",
        "keep: write reasoning as the template writes thinking; drop: leave it out",
      )
        .choices(["keep", "drop"])
        .default("keep"),
    )
    .requiredOption("-o, --output <dir>", "directory to write train.jsonl, eval.jsonl and manifest.json")
    .option("--json", "print the manifest as JSON")
    .action(lazy(() => import("../commands/dataset-format.js"), "datasetFormat"));

  const config = program.command("config").description("Validate, render and describe run configs.");
  config
    .command("validate")
    .argument("<file>", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option("--preflight", "also resolve a hub base model: access, license, revision, GPU memory estimate")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/config.js"), "configValidate"));
  config
    .command("render")
    .description("Print the resolved config and the TrainSpec it becomes.")
    .argument("<file>", "a run config YAML")
    .option("--set <key=value...>", "override a config value (repeatable)")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/config.js"), "configRender"));
  config
    .command("schema")
    .description("Write the JSON Schema of run configs (for editor completion).")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(lazy(() => import("../commands/config.js"), "configSchema"));
}

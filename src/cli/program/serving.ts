import { Command, Option } from "commander";
import { lazy } from "./lazy.js";

/** `adapter check` and `export`: whether a trained adapter serves, and the files to serve. */
export function servingCommands(program: Command): void {
  const adapter = program
    .command("adapter")
    .description("Check a trained adapter against the engines that serve it.");
  adapter
    .command("check")
    .description(
      "Would vLLM, TGI or plain peft load this adapter as trained? Exit 1 when the target would not.",
    )
    .argument(
      "<run>",
      "a run id, a run directory, or an adapter folder (adapter_config.json + adapter_model.safetensors)",
    )
    .addOption(
      new Option("--target <engine>", "the serving engine").choices(["vllm", "tgi", "peft"]).default("vllm"),
    )
    .option(
      "--base <dir>",
      "the base model folder (default: the run's recorded base, or the adapter's base_model_name_or_path)",
    )
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/adapter-check.js"), "adapterCheck"));

  program
    .command("export")
    .description(
      "Export a run's adapter (verified against its manifest), or with --merge the base with the adapter folded in.",
    )
    .argument("<run>", "a run id, a run directory, or an adapter folder")
    .requiredOption(
      "-o, --output <dir>",
      "the folder to write; an existing non-empty one is refused unless --force",
    )
    .option(
      "--merge",
      "merged safetensors + tokenizer that load in plain transformers (peft merge_and_unload)",
    )
    .option("--force", "replace a non-empty output folder (only once the new export is complete)")
    .option("--base <model>", "the base to merge into (default: the run's recorded base)")
    .option("--python <path>", "the Python with transformers and peft (default: the managed venv)")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--json", "machine-readable output")
    .action(lazy(() => import("../commands/export.js"), "exportCommand"));
}

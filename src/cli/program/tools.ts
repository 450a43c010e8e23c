import type { Command } from "commander";
import { lazy } from "./lazy.js";

/** `report` and `setup`. */
export function toolCommands(program: Command): void {
  program
    .command("report")
    .description("Render report.md and report.html again from a run's report.json.")
    .argument("<run-id>")
    .option("--runs-dir <dir>", "where run directories live", "runs")
    .option("--open", "open report.html in the desktop's viewer")
    .action(lazy(() => import("../commands/report.js"), "report"));

  program
    .command("setup")
    .description("Create the trainer's Python environment ahead of the first run.")
    .option("--python <path>", "use this interpreter instead of the managed venv (nothing is installed)")
    .option("--tracking", "also the venv of TensorBoard and W&B's writers (made on first use otherwise)")
    .action(lazy(() => import("../commands/setup.js"), "setup"));
}

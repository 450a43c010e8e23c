import { Command } from "commander";
import { dataCommands } from "./program/data.js";
import { hubCommands } from "./program/hub.js";
import { queueCommands } from "./program/queue.js";
import { runCommands } from "./program/run.js";
import { runsCommands } from "./program/runs.js";
import { servingCommands } from "./program/serving.js";
import { storeCommands } from "./program/store.js";
import { toolCommands } from "./program/tools.js";

// The CLI's commands, by group (src/cli/program/); each action imports its command module lazily, so
// `pipeline --help` loads nothing heavy.
export function buildProgram(): Command {
  const program = new Command("pipeline")
    .description("LoRA/PEFT fine-tuning: one YAML file and a dataset in, an evaluated adapter out.")
    .version(process.env.npm_package_version ?? "0.1.0")
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`error[usage]: ${text.replace(/^error: /, "")}`),
    });
  for (const add of [
    dataCommands,
    hubCommands,
    runCommands,
    queueCommands,
    runsCommands,
    servingCommands,
    storeCommands,
    toolCommands,
  ])
    add(program);
  return program;
}

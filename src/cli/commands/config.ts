import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import {
  type LoadedConfig,
  type RunConfig,
  configJsonSchema,
  loadConfig,
  previewTrainSpec,
} from "../../config/index.js";
import { ExitCode } from "../../errors/index.js";

interface LoadFlags {
  set?: string[];
  json?: boolean;
  preflight?: boolean;
}

/** `pipeline config validate <file>`: loads, validates and renders; prints a summary or throws the problems. */
export async function configValidate(file: string, options: LoadFlags): Promise<number> {
  const loaded = await loadConfig(file, { set: options.set });
  previewTrainSpec(loaded.config, file);
  const { hubPreflightLines } = await import("./config-preflight.js");
  const preflight = options.preflight ? await hubPreflightLines(loaded.config) : [];
  if (options.json) print(JSON.stringify({ ok: true, file: loaded.file, hash: loaded.hash, preflight }));
  else print([summary(file, loaded), ...preflight].join("\n"));
  return ExitCode.ok;
}

/** `pipeline config render <file>`: the resolved config as YAML and the TrainSpec it becomes as JSON. */
export async function configRender(file: string, options: LoadFlags): Promise<number> {
  const loaded = await loadConfig(file, { set: options.set });
  const spec = previewTrainSpec(loaded.config, file);
  if (options.json) {
    print(JSON.stringify({ config: loaded.config, hash: loaded.hash, spec }, null, 2));
    return ExitCode.ok;
  }
  print(`# resolved config (sha256 ${loaded.hash})\n${stringify(loaded.config).trimEnd()}\n`);
  print(`# TrainSpec (run paths are placeholders until a run starts)\n${JSON.stringify(spec, null, 2)}`);
  return ExitCode.ok;
}

/** `pipeline config schema [-o file]`: the JSON Schema of run configs, for editor completion. */
export async function configSchema(options: { output?: string }): Promise<number> {
  const text = JSON.stringify(configJsonSchema(), null, 2) + "\n";
  if (!options.output) {
    process.stdout.write(text);
    return ExitCode.ok;
  }
  await writeFile(options.output, text);
  process.stderr.write(`wrote ${options.output}\n`);
  return ExitCode.ok;
}

function summary(file: string, { config, hash }: LoadedConfig): string {
  return [
    `ok ${file}`,
    `  base model  ${config.base_model}`,
    `  datasets    ${config.datasets.length} (${config.datasets.map((d) => `${d.format}/${d.template}`).join(", ")})`,
    `  lora        r ${config.lora.r}, alpha ${config.lora.alpha}, targets ${targets(config)}`,
    `  training    ${length(config)}, ${config.training.micro_batch_size}×${config.training.gradient_accumulation_steps} per step, lr ${config.training.learning_rate}, ${config.training.precision}`,
    `  runtime     ${config.runtime.type} on ${config.device}`,
    `  hash        ${hash.slice(0, 16)}`,
  ].join("\n");
}

function targets(config: RunConfig): string {
  const modules = config.lora.target_modules;
  return typeof modules === "string" ? modules : modules.join(",");
}

function length(config: RunConfig): string {
  const { max_steps: steps, epochs } = config.training;
  return steps === undefined ? `${epochs} epoch(s)` : `${steps} steps`;
}

function print(text: string): void {
  process.stdout.write(text + "\n");
}

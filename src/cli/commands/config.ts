import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  BUILTIN_TINY,
  type LoadedConfig,
  type RunConfig,
  configJsonSchema,
  loadConfig,
  previewTrainSpec,
} from "../../config/index.js";
import { servingWarnings, warningLine } from "../../adapter/index.js";
import { ExitCode } from "../../errors/index.js";
import { chooseTemplate } from "../../dataset/index.js";
import { runtimeFor, tinyModelDir } from "../../launch/index.js";
import { checkMethodData, initAdapterLines, resolveChampion } from "../../run/index.js";
import { withWorkspaceTracking } from "../../tracking/index.js";

interface LoadFlags {
  set?: string[];
  json?: boolean;
  preflight?: boolean;
}

/** `pipeline config validate <file>`: loads, validates and renders; prints a summary or throws the problems. */
export async function configValidate(file: string, options: LoadFlags): Promise<number> {
  const loaded = await loadConfig(file, { set: options.set });
  await checkMethodData(loaded.config); // DPO on chats, SFT on pairs: refused here as `pipeline run` would
  const init = await initAdapterLines(loaded.config); // a missing or mismatched init adapter, too
  await resolveChampion(loaded.config, loaded.config.output.runs_dir); // and eval.compare_to's champion
  runtimeFor(loaded.config.runtime, file);
  previewTrainSpec(loaded.config);
  await withWorkspaceTracking(loaded.config, file);
  const { hubPreflightLines } = await import("./config-preflight.js");
  const preflight = options.preflight ? await hubPreflightLines(loaded.config) : [];
  // The adapter this config trains, as vLLM and TGI would take it: warned, not refused (a merged export serves).
  const serving = servingWarnings(loaded.config);
  for (const warning of serving) process.stderr.write(warningLine(warning) + "\n");
  if (options.json)
    print(JSON.stringify({ ok: true, file: loaded.file, hash: loaded.hash, preflight, serving }));
  else
    print([summary(file, loaded, await autoTemplateLine(loaded.config)), ...init, ...preflight].join("\n"));
  return ExitCode.ok;
}

/** `pipeline config render <file>`: the resolved config as YAML and the TrainSpec it becomes as JSON. */
export async function configRender(file: string, options: LoadFlags): Promise<number> {
  const loaded = await loadConfig(file, { set: options.set });
  await checkMethodData(loaded.config); // DPO on chats, SFT on pairs: refused here as `pipeline run` would
  runtimeFor(loaded.config.runtime, file);
  const spec = previewTrainSpec(loaded.config);
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

function summary(file: string, { config, hash }: LoadedConfig, template: string[]): string {
  return [
    `ok ${file}`,
    `  base model  ${config.base_model}`,
    `  datasets    ${config.datasets.length} (${config.datasets.map((d) => `${d.format}/${d.template}`).join(", ")})`,
    ...template,
    `  lora        r ${config.lora.r}, alpha ${config.lora.alpha}, targets ${targets(config)}`,
    `  training    ${length(config)}, ${config.training.micro_batch_size}×${config.training.gradient_accumulation_steps} per step, lr ${config.training.learning_rate}, ${config.training.precision}`,
    `  runtime     ${config.runtime.type} on ${config.device}`,
    `  hash        ${hash.slice(0, 16)}`,
  ].join("\n");
}

/**
 * What `template: auto` (a dataset without `template`) will be, when the base model is on disk to tell;
 * otherwise the rule, since the run decides once it has the model.
 */
async function autoTemplateLine(config: RunConfig): Promise<string[]> {
  if (!config.datasets.some((d) => d.template === "auto")) return [];
  const dir = config.base_model === BUILTIN_TINY ? tinyModelDir : config.base_model;
  if (!existsSync(join(dir, "tokenizer_config.json"))) {
    return [
      `  template    auto: the base model's own chat template if it has one, else chatml (decided when the run has ${config.base_model})`,
    ];
  }
  return [`  template    auto → ${(await chooseTemplate(dir)).reason}`];
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

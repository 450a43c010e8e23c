import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { verifyCheckpoint } from "../../checkpoints/index.js";
import { BUILTIN_TINY, type RunConfig } from "../../config/index.js";
import { looksLikePath } from "../../config/resolve-paths.js";
import { UsageError } from "../../errors/index.js";
import { tinyModelDir } from "../../launch/index.js";
import { readRecordFile, runPaths } from "../../run-dir/index.js";
import {
  ADAPTER_FILES,
  INIT_ADAPTER,
  adapterLora,
  notAnAdapter,
  readAdapterConfig,
  type AdapterConfig,
  type AdapterSetting,
} from "./adapter-config.js";

export interface FoundAdapter {
  /** What the config named: a run id or a directory. */
  source: string;
  /** The adapter folder it names. */
  dir: string;
  config: AdapterConfig;
  /** The run it belongs to, when `source` named one. */
  runId?: string;
}

/**
 * training.init_adapter, found and checked before any work: a run id names a finished run of `runsDir` whose
 * adapter verifies against its manifest; a path names a folder with a PEFT LoRA adapter. Either must have been
 * trained on the config's base model. Undefined when the setting is not there. Exit 2 for each problem.
 */
export async function findInitAdapter(config: RunConfig, runsDir: string): Promise<FoundAdapter | undefined> {
  const source = config.training.init_adapter;
  return source === undefined ? undefined : findAdapter(INIT_ADAPTER, source, config.base_model, runsDir);
}

/**
 * The adapter a setting names (training.init_adapter, eval.compare_to): a run id (a finished run of `runsDir`
 * whose adapter verifies) unless written as a path (a folder with a PEFT LoRA adapter; config loading made it
 * absolute); either trained on `baseModel`. Exit 2 for each problem, naming the setting.
 */
export async function findAdapter(
  setting: AdapterSetting,
  source: string,
  baseModel: string,
  runsDir: string,
): Promise<FoundAdapter> {
  const isPath = looksLikePath(source);
  const found = isPath ? await fromDirectory(source, setting) : await fromRun(source, runsDir, setting);
  checkBase(baseModel, found.base, source, setting);
  return { source, dir: found.dir, config: found.config, ...(isPath ? {} : { runId: source }) };
}

async function fromRun(id: string, runsDir: string, setting: AdapterSetting) {
  const paths = runPaths(runsDir, id);
  if (!existsSync(paths.record)) {
    throw new UsageError(
      `${setting.code}-not-found`,
      `${setting.key}: no run "${id}" in ${resolve(runsDir)}`,
      {
        hint: "give the id of a finished run (`pipeline runs list`; --runs-dir or output.runs_dir say where runs are), or an adapter directory written as a path (./dir, /dir)",
      },
    );
  }
  const record = await readRecordFile(paths.record);
  if (record.status !== "done") {
    throw new UsageError(
      `${setting.code}-unfinished`,
      `${setting.key}: run ${id} is ${record.status}: it has no final adapter`,
      {
        hint: `finish it first (pipeline run --resume ${id}) or name a run that is done`,
      },
    );
  }
  const verdict = await verifyCheckpoint(paths.adapter, { hash: true });
  if (!verdict.ok)
    throw notAnAdapter(
      `run ${id}`,
      `its adapter ${paths.adapter} does not verify (${verdict.reason})`,
      setting,
    );
  return {
    dir: paths.adapter,
    base: record.baseModel,
    config: await readAdapterConfig(paths.adapter, `run ${id}`, setting),
  };
}

async function fromDirectory(dir: string, setting: AdapterSetting) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${setting.code}-not-found`, `${setting.key}: no directory ${dir}`, {
      hint: "give an existing adapter directory (relative paths are read from the config file's folder), or a run id",
    });
  }
  const missing = ADAPTER_FILES.filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) throw notAnAdapter(dir, `it has no ${missing.join(", ")}`, setting);
  const config = await readAdapterConfig(dir, dir, setting);
  // A run's adapter/ folder: its run.json names the base as configured (the saved path may be a container's).
  const record = join(dir, "..", "run.json");
  const run = existsSync(record) ? await readRecordFile(record).catch(() => undefined) : undefined;
  return { dir, base: run?.baseModel ?? config.base_model_name_or_path ?? undefined, config };
}

/** An adapter only fits the base it was trained on: the run's base_model, or adapter_config's base path. */
function checkBase(
  configured: string,
  trainedOn: string | undefined,
  source: string,
  setting: AdapterSetting,
): void {
  if (trainedOn === undefined || sameBase(configured, trainedOn)) return;
  throw new UsageError(
    `${setting.code}-base-mismatch`,
    `${setting.key}: ${source} was trained on ${trainedOn}, but base_model is ${configured}`,
    {
      hint: `set base_model to the adapter's base (${trainedOn}), or use an adapter trained on ${configured}`,
    },
  );
}

/** The same model written two ways: builtin:tiny and its folder; a hub id and its snapshot in the HF cache. */
export function sameBase(configured: string, trainedOn: string): boolean {
  if (configured === trainedOn) return true;
  if (configured === BUILTIN_TINY) return resolve(trainedOn) === resolve(tinyModelDir);
  if (trainedOn === BUILTIN_TINY) return resolve(configured) === resolve(tinyModelDir);
  const hubFolder = (id: string) => `models--${id.replaceAll("/", "--")}`;
  const snapshotRepo = (path: string) => basename(resolve(path, "..", ".."));
  if (!looksLikePath(configured))
    return looksLikePath(trainedOn) && snapshotRepo(trainedOn) === hubFolder(configured);
  if (!looksLikePath(trainedOn)) return snapshotRepo(configured) === hubFolder(trainedOn);
  return resolve(configured) === resolve(trainedOn);
}

/** `config validate`: the init adapter found (exit 2 when it is not), and what it changes in lora, as lines. */
export async function initAdapterLines(config: RunConfig): Promise<string[]> {
  const found = await findInitAdapter(config, config.output.runs_dir);
  if (!found) return [];
  const { lora, notes } = adapterLora(config, found.config);
  return [
    `  init        ${found.source} (${found.dir}): r ${lora.r}, alpha ${lora.alpha}`,
    ...notes.map((note) => `  note        ${note}`),
  ];
}

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BUILTIN_TINY } from "../config/index.js";
import { UsageError } from "../errors/index.js";
import { tinyModelDir } from "../launch/index.js";
import { readRecordFile, runDirPaths, runPaths } from "../run-dir/index.js";
import { ADAPTER_CONFIG } from "./adapter-files.js";
import type { BaseModel } from "./module-checks.js";
import { readModelShapes } from "./safetensors-header.js";

/** Where an adapter is, and the base model a run recorded for it (a folder, a hub id or builtin:tiny). */
export interface Located {
  adapterDir: string;
  runDir?: string;
  recordedBase?: string;
}

/** `<run>` as the serving commands take it: a run id, a run directory, or an adapter folder. */
export async function locateAdapter(run: string, runsDir: string): Promise<Located> {
  if (existsSync(join(run, ADAPTER_CONFIG))) return { adapterDir: resolve(run) };
  const dir = existsSync(join(run, "run.json")) ? resolve(run) : runPaths(runsDir, run).dir;
  const paths = runDirPaths(dir);
  if (!existsSync(paths.record)) {
    throw new UsageError(
      "run-not-found",
      `${run} is neither an adapter folder nor a run (no run "${run}" in ${resolve(runsDir)})`,
      {
        hint: "pass a run id (with --runs-dir where runs live), a run directory, or a folder with adapter_config.json",
      },
    );
  }
  if (!existsSync(join(paths.adapter, ADAPTER_CONFIG))) {
    throw new UsageError(
      "no-adapter",
      `run ${paths.id} has no adapter in ${paths.adapter} (it did not finish training)`,
      {
        hint: "resume it with `pipeline run --resume <run-id>`, or pull it from the store: pipeline checkpoints pull <run> --folder adapter -o DIR",
      },
    );
  }
  return { adapterDir: paths.adapter, runDir: dir, recordedBase: await recordedBase(dir) };
}

/** The model the run trained on: spec.json's base_model (the model as the trainer loaded it), else run.json's. */
async function recordedBase(runDir: string): Promise<string> {
  const paths = runDirPaths(runDir);
  if (existsSync(paths.spec)) {
    const spec = JSON.parse(await readFile(paths.spec, "utf8")) as { base_model?: string };
    if (spec.base_model) return spec.base_model;
  }
  return (await readRecordFile(paths.record)).baseModel;
}

/** The base as a folder on disk, from --base, the run's record, or the adapter's base_model_name_or_path. */
export async function loadBase(candidates: (string | undefined)[]): Promise<BaseModel | undefined> {
  for (const candidate of candidates) {
    const dir = candidate === BUILTIN_TINY ? tinyModelDir : candidate;
    if (!dir || !existsSync(join(dir, "config.json"))) continue;
    const shapes = await readModelShapes(dir);
    if (!shapes) continue;
    const config = JSON.parse(await readFile(join(dir, "config.json"), "utf8")) as {
      architectures?: string[];
    };
    return { dir, shapes, architecture: config.architectures?.[0] };
  }
  return undefined;
}

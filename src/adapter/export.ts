import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { readManifest, verifyCheckpoint } from "../checkpoints/index.js";
import { BUILTIN_TINY } from "../config/index.js";
import { FailedError, UsageError } from "../errors/index.js";
import { ensurePython, mergeAdapter, tinyModelDir } from "../launch/index.js";
import type { Located } from "./locate.js";

export interface ExportOptions {
  out: string;
  merge: boolean;
  force: boolean;
  /** The base to merge into (default: the run's recorded base, then base_model_name_or_path). */
  base?: string;
  python?: string;
}

/**
 * `pipeline export`: the adapter alone (verified against its manifest), or merged into its base. Written
 * into a sibling folder and renamed into place, so a failure — or a --force over an old export — loses nothing.
 */
export async function exportAdapter(
  located: Located,
  baseFromConfig: string | undefined,
  options: ExportOptions,
) {
  const out = resolve(options.out);
  refuseOccupied(out, options.force);
  await verifyAdapter(located);
  const staging = join(dirname(out), `.${basename(out)}.partial-${randomBytes(3).toString("hex")}`);
  await mkdir(dirname(out), { recursive: true });
  try {
    const files = options.merge
      ? await merged(located, options.base ?? located.recordedBase ?? baseFromConfig, staging, options.python)
      : await copied(located.adapterDir, staging);
    await swapInto(staging, out);
    return { out, files };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function refuseOccupied(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw new UsageError("output-not-a-folder", `-o ${out} is a file`, {
      hint: "name a folder to export into",
    });
  if (force || readdirSync(out).length === 0) return;
  throw new UsageError("output-exists", `-o ${out} exists and is not empty`, {
    hint: "name a new folder, or pass --force to replace it (the old export is removed only once the new one is complete)",
  });
}

/** A run's adapter must match its manifest; a bare adapter folder (no manifest) is taken as it is. */
async function verifyAdapter(located: Located): Promise<void> {
  if (!located.runDir && !(await readManifest(located.adapterDir))) return;
  const verdict = await verifyCheckpoint(located.adapterDir);
  if (verdict.ok) return;
  throw new FailedError(
    "adapter-mismatch",
    `${located.adapterDir} does not match its manifest: ${verdict.reason}`,
    {
      hint: "pull a verified copy from the run's store (pipeline checkpoints pull <run> --folder adapter -o DIR) and export that",
    },
  );
}

async function copied(adapterDir: string, staging: string): Promise<string[]> {
  await mkdir(staging);
  const manifest = await readManifest(adapterDir);
  const files = manifest
    ? [...manifest.files.map((f) => f.path), "manifest.json"]
    : await readdir(adapterDir);
  for (const file of files) {
    await mkdir(dirname(join(staging, file)), { recursive: true });
    await copyFile(join(adapterDir, file), join(staging, file));
  }
  return files.sort();
}

async function merged(located: Located, base: string | undefined, staging: string, python?: string) {
  if (!base) {
    throw new UsageError("no-base-model", `no base model is recorded for ${located.adapterDir}`, {
      hint: "pass --base <model dir or hub id>",
    });
  }
  const model = base === BUILTIN_TINY ? tinyModelDir : base;
  const interpreter = await ensurePython({ python: python ?? process.env.PIPELINE_PYTHON });
  return mergeAdapter(interpreter, { base: model, adapter: located.adapterDir, out: staging });
}

/** staging → out; an old `out` (with --force) is moved aside first and removed only after the rename. */
async function swapInto(staging: string, out: string): Promise<void> {
  if (!existsSync(out)) return rename(staging, out);
  const old = `${staging}.old`;
  await rename(out, old);
  try {
    await rename(staging, out);
  } catch (error) {
    await rename(old, out);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}

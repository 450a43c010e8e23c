import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { BUILTIN_TINY } from "../config/index.js";
import { FailedError, UsageError } from "../errors/index.js";
import { isHubModelId } from "../hub/index.js";
import { cacheDir, tinyModelScript } from "./paths.js";

/** The project's own tiny model is keyed by the hash of the script that makes it, so a new script makes a new model. */
export function tinyModelDir(): string {
  const hash = createHash("sha256").update(readFileSync(tinyModelScript)).digest("hex").slice(0, 12);
  return join(cacheDir(), "models", `tiny-${hash}`);
}

/**
 * Resolves `base_model` to what the trainer loads: the built-in tiny model (made once, offline, and cached),
 * or a local directory (must exist). Hub ids are downloaded by src/hub/ before this is reached.
 */
export async function resolveBaseModel(
  baseModel: string,
  python: string,
  onProgress: (line: string) => void = () => {},
): Promise<string> {
  if (baseModel === BUILTIN_TINY) return ensureTinyModel(python, onProgress);
  if (looksLikePath(baseModel) && !existsSync(join(baseModel, "config.json"))) {
    throw new UsageError(
      "base-model-missing",
      `base_model ${baseModel} is not a model directory (no config.json)`,
      {
        hint: "point base_model at a Hugging Face model directory, a hub id such as org/name, or builtin:tiny",
      },
    );
  }
  if (!looksLikePath(baseModel) && !isHubModelId(baseModel)) {
    throw new UsageError(
      "base-model-unknown",
      `base_model ${baseModel} is neither a model directory nor a hub id`,
      {
        hint: "write a local directory as a path (./dir, ../dir, /dir or ~/dir), a hub id as org/name[@revision], or builtin:tiny",
      },
    );
  }
  return baseModel;
}

/** A hub id that is not also a folder here (a folder wins: that is what the user has on disk). */
export function isHubBaseModel(baseModel: string): boolean {
  return !looksLikePath(baseModel) && isHubModelId(baseModel);
}

function looksLikePath(value: string): boolean {
  return value.startsWith("/") || value.startsWith(".") || existsSync(value);
}

async function ensureTinyModel(python: string, onProgress: (line: string) => void): Promise<string> {
  const dir = tinyModelDir();
  if (existsSync(join(dir, "config.json"))) return dir;
  const tmp = `${dir}.partial-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  onProgress("pre-training the built-in tiny model (once; cached afterwards)");
  const child = execa(python, ["-u", tinyModelScript, "--out", tmp], {
    all: true,
    reject: false,
    buffer: { all: true },
  });
  child.all?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) onProgress(line.trim());
  });
  const result = await child;
  if (result.failed) {
    await rm(tmp, { recursive: true, force: true });
    const tail = String(result.all ?? "")
      .split("\n")
      .slice(-10)
      .join("\n");
    throw new FailedError("tiny-model", `making the built-in tiny model failed (exit ${result.exitCode})`, {
      hint: tail,
    });
  }
  // transformers writes weights through a private temp file (mode 0600); the model is shared read-only
  // with containers that run as another uid, so make it readable to all.
  for (const name of await readdir(tmp)) await chmod(join(tmp, name), 0o644);
  // Another process may have finished the same model first; theirs is as good as ours.
  await rename(tmp, dir).catch(async (error: unknown) => {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, "config.json"))) throw error;
  });
  return dir;
}

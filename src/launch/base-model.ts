import { existsSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_TINY } from "../config/index.js";
import { FailedError, UsageError } from "../errors/index.js";
import { isHubModelId } from "../hub/index.js";
import { tinyModelDir } from "./paths.js";

/**
 * Resolves `base_model` to what the trainer loads: the built-in tiny model (shipped in models/tiny/), a local
 * directory (must exist), or a hub id (src/hub/ downloads it first; see isHubBaseModel).
 */
export function resolveBaseModel(baseModel: string): string {
  if (baseModel === BUILTIN_TINY) return shippedTinyModel();
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

/** The weights ship with the project (scripts/make_tiny_model.py reproduces them; a test checks their hashes). */
function shippedTinyModel(): string {
  if (existsSync(join(tinyModelDir, "model.safetensors"))) return tinyModelDir;
  throw new FailedError("tiny-model-missing", `the built-in tiny model is missing from ${tinyModelDir}`, {
    hint:
      "restore it from the project (git checkout -- models/tiny), or make it again: " +
      "python scripts/make_tiny_model.py --out models/tiny (a few CPU minutes)",
  });
}

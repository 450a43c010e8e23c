import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { UsageError, messageOf } from "../errors/index.js";
import type { AdapterConfigJson } from "./findings.js";
import { readTensorShapes, type TensorShapes } from "./safetensors-header.js";

export const ADAPTER_CONFIG = "adapter_config.json";
export const ADAPTER_WEIGHTS = "adapter_model.safetensors";

/** A saved peft adapter: its config and the names and shapes of its weights (undefined: no weights file). */
export interface AdapterFiles {
  dir: string;
  config: AdapterConfigJson;
  weights: TensorShapes | undefined;
}

/** Reads an adapter folder; a folder that is not one (no or unreadable adapter_config.json) is bad input. */
export async function readAdapter(dir: string): Promise<AdapterFiles> {
  const file = join(dir, ADAPTER_CONFIG);
  if (!existsSync(file)) {
    throw new UsageError("not-an-adapter", `${dir} is not an adapter: it has no ${ADAPTER_CONFIG}`, {
      hint: "pass a run id, a run directory (its adapter/ is checked) or a folder saved by peft's save_pretrained",
    });
  }
  let config: unknown;
  try {
    config = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new UsageError("not-an-adapter", `${file} is not valid JSON (${messageOf(error)})`);
  }
  if (!config || typeof config !== "object" || Array.isArray(config))
    throw new UsageError("not-an-adapter", `${file} is not a JSON object`);
  const weightsFile = join(dir, ADAPTER_WEIGHTS);
  const weights = existsSync(weightsFile) ? await readWeights(weightsFile) : undefined;
  return { dir, config: config as AdapterConfigJson, weights };
}

async function readWeights(file: string): Promise<TensorShapes> {
  try {
    return await readTensorShapes(file);
  } catch (error) {
    throw new UsageError(
      "not-an-adapter",
      `${file} has no readable safetensors header (${messageOf(error)})`,
      {
        hint: "save the adapter again with peft's save_pretrained, or restore it from the run's store (pipeline checkpoints pull <run> --folder adapter -o DIR)",
      },
    );
  }
}

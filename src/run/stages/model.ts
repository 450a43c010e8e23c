import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { describeHubModel, prepareHubBaseModel } from "../../hub/index.js";
import { isHubBaseModel, resolveBaseModel } from "../../launch/index.js";
import { readRecord } from "../../run-dir/index.js";
import type { Progress, RunState, Stage, StageResults } from "../state.js";

/**
 * builtin:tiny (shipped in models/tiny/), a local model directory, or a hub id: resolved to a commit,
 * preflighted (access, license, GPU memory) and downloaded into the Hugging Face cache before any data is
 * formatted.
 */
export const modelStage: Stage<"model"> = {
  key: "model",
  title: "Base model",
  async run(state, progress): Promise<StageResults["model"]> {
    const { config } = state.setup;
    if (isHubBaseModel(config.base_model)) return hubModel(state, progress);
    const baseModel = resolveBaseModel(config.base_model);
    progress.title(`Base model (${baseModel})`);
    return { baseModel, modelDir: onDisk(baseModel), hub: undefined };
  },
};

async function hubModel(state: RunState, progress: Progress): Promise<StageResults["model"]> {
  const { config, paths, resume } = state.setup;
  // A resumed run keeps the commit it started from.
  const pinned = resume ? (await readRecord(dirname(paths.dir), paths.id)).baseModelRevision : undefined;
  const hub = await prepareHubBaseModel(config, { onProgress: (line) => progress.output(line), pinned });
  for (const warning of hub.warnings) process.stderr.write(`warning: ${warning}\n`);
  progress.title(`Base model (${describeHubModel(hub)})`);
  return { baseModel: hub.dir, modelDir: onDisk(hub.dir), hub };
}

const onDisk = (dir: string) => (existsSync(join(dir, "tokenizer_config.json")) ? dir : undefined);

import { existsSync } from "node:fs";
import { join } from "node:path";
import { resolveBaseModel } from "../../launch/index.js";
import type { Stage, StageResults } from "../state.js";

/** builtin:tiny (shipped in models/tiny/), a local model directory, or a hub id. */
export const modelStage: Stage<"model"> = {
  key: "model",
  title: "Base model",
  async run(state, progress): Promise<StageResults["model"]> {
    const { config } = state.setup;
    const baseModel = resolveBaseModel(config.base_model);
    progress.title(`Base model (${baseModel})`);
    const onDisk = existsSync(join(baseModel, "tokenizer_config.json"));
    return { baseModel, modelDir: onDisk ? baseModel : undefined };
  },
};

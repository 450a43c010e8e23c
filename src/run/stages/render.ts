import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import { newestComplete } from "../../checkpoints/index.js";
import { renderTrainSpec } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import type { RunPaths } from "../../run-dir/index.js";
import { pullNewerCheckpoint } from "../store/pull.js";
import type { Progress, RunState, Stage, StageResults } from "../state.js";

/** The TrainSpec the trainer reads (spec.json), resuming from the newest complete checkpoint when resumed. */
export const renderStage: Stage<"render"> = {
  key: "render",
  title: "Render training spec",
  async run(state, progress): Promise<StageResults["render"]> {
    const { config, paths, resume } = state.setup;
    const resumed = resume ? await resumePoint(state, progress) : null;
    const splits = state.need("format");
    const spec = renderTrainSpec(config, {
      runId: paths.id,
      runDir: paths.dir,
      trainPath: splits.train,
      evalPath: splits.eval,
      baseModelPath: state.need("model").baseModel,
      resumeFrom: resumed?.path ?? null,
    });
    await writeFile(paths.spec, JSON.stringify(spec, null, 2) + "\n");
    if (!resume) await writeFile(paths.resolvedConfig, stringify(config));
    if (resumed) progress.title(`Render training spec (resuming from step ${resumed.step})`);
    return { spec, resumedFrom: resumed?.step ?? null };
  },
};

/** The newest complete checkpoint, pulled from the store first when it has a newer one. */
async function resumePoint(state: RunState, progress: Progress): Promise<{ path: string; step: number }> {
  const { config, paths } = state.setup;
  await pullNewerCheckpoint(config.checkpoints, paths, (line) => progress.output(line));
  const { checkpoint, skipped } = await newestComplete(paths.checkpoints);
  for (const bad of skipped) {
    progress.output(`skipping checkpoint step ${bad.step}: ${bad.reason}`);
    process.stderr.write(`warning: skipping local checkpoint step ${bad.step}: ${bad.reason}\n`);
  }
  if (!checkpoint) throw nothingToResume(paths);
  return checkpoint;
}

const nothingToResume = (paths: RunPaths) =>
  new UsageError("nothing-to-resume", `run ${paths.id} has no complete checkpoint to resume from`, {
    hint: "start it again with `pipeline run <config>`; a checkpoint is written every training.save_steps",
  });

import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import { withEnvReferences } from "../../secrets/index.js";
import { newestComplete } from "../../checkpoints/index.js";
import { renderTrainSpec } from "../../config/index.js";
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
      initAdapter: state.get("initAdapter"),
    });
    await writeFile(paths.spec, JSON.stringify(spec, null, 2) + "\n");
    // Secrets the config took from the environment go back in as ${NAME}: none is kept in the run directory.
    if (!resume) await writeFile(paths.resolvedConfig, withEnvReferences(stringify(config)));
    if (resumed) progress.title(`Render training spec (resuming from step ${resumed.step})`);
    else if (resume) progress.title("Render training spec (no complete checkpoint: restarting from step 0)");
    return { spec, resumedFrom: resumed?.step ?? null };
  },
};

/**
 * The newest complete checkpoint of a resumed run (pulled from the store first when it has a newer one), or
 * null when there is none: a run killed before its first checkpoint is trained again from step 0 under the
 * same id — what was lost is less than one checkpoint interval, as promised.
 */
async function resumePoint(
  state: RunState,
  progress: Progress,
): Promise<{ path: string; step: number } | null> {
  const { config, paths } = state.setup;
  await pullNewerCheckpoint(config.checkpoints, paths, (line) => progress.output(line));
  const { checkpoint, skipped } = await newestComplete(paths.checkpoints);
  for (const bad of skipped) {
    progress.output(`skipping checkpoint step ${bad.step}: ${bad.reason}`);
    process.stderr.write(`warning: skipping local checkpoint step ${bad.step}: ${bad.reason}\n`);
  }
  if (checkpoint) return checkpoint;
  process.stderr.write(
    `warning: run ${paths.id} has no complete checkpoint: training it again from step 0\n`,
  );
  return null;
}

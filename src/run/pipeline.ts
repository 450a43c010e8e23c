import { evaluateStage } from "./stages/evaluate.js";
import { formatStage } from "./stages/format.js";
import { initAdapterStage } from "./stages/init-adapter.js";
import { modelStage } from "./stages/model.js";
import { placementStage } from "./stages/placement.js";
import { renderStage } from "./stages/render.js";
import { trackStage } from "./stages/track.js";
import { trainStage } from "./stages/train.js";
import { storeStage } from "./stages/store.js";
import { validateStage } from "./stages/validate.js";
import type { Progress, RunState, Stage } from "./state.js";

/**
 * `pipeline run`, in order: validate → init adapter → store → base model → runtime preflight → format → render → track →
 * train → evaluate. Resumed runs skip the data stages (the formatted splits are already in the run
 * directory). The report is written after the stages, whatever their outcome (stages/report.ts).
 */
export const RUN_STAGES: readonly Stage[] = [
  validateStage,
  initAdapterStage,
  storeStage,
  modelStage,
  placementStage,
  formatStage,
  renderStage,
  trackStage,
  trainStage,
  evaluateStage,
] as Stage[];

/** Runs one stage and keeps its result. */
export async function runStage(stage: Stage, state: RunState, progress: Progress): Promise<void> {
  state.set(stage.key, await stage.run(state, progress));
}

/** All stages in order, without a renderer (tests, and callers that only want the result). */
export async function runPipeline(state: RunState, progress: Progress): Promise<void> {
  for (const stage of RUN_STAGES) {
    if (stage.when && !stage.when(state)) continue;
    await runStage(stage, state, progress);
  }
}

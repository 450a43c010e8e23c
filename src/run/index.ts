// The run pipeline: `pipeline run` as typed stages over a run directory and a runtime. The CLI renders it.
export {
  RunState,
  type RunSetup,
  type StageResults,
  type Stage,
  type Progress,
  type Splits,
} from "./state.js";
export { RUN_STAGES, runStage, runPipeline } from "./pipeline.js";
export { startFresh, startResume, type FreshRun } from "./start.js";
export { writeRunReport } from "./stages/report.js";
export { publishAfterRun } from "./stages/publish.js";
export { finishTracking } from "./stages/track.js";
export { uploadReport, uploadLines } from "./store/uploads.js";
export { assertStored } from "./store/stored.js";
export type { StoreOptions } from "./store/restore.js";
export { splitRunLocation } from "./store/restore.js";
export { checkMethodData } from "./stages/method-data.js";
export { initAdapterLines } from "./init-adapter/index.js";
export { resolveChampion, type Champion } from "./champion.js";

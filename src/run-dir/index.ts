// The run directory: its paths, run.json (zod-checked), and readers for its events, progress and outcome.
export {
  runPaths,
  runDirPaths,
  newRunId,
  createRunDir,
  REPORT_FILES,
  ADAPTER_FILES,
  type RunPaths,
} from "./paths.js";
export { RunRecord, RunStatus, writeRecord, readRecord, readRecordFile, listRecords } from "./record.js";
export {
  TrainerEvent,
  type DoneEvent,
  type ErrorEvent,
  type StepEvent,
  eventsJsonSchema,
} from "./event-contract.js";
export { readEvents } from "./events.js";
export { readRunProgress, type RunProgress } from "./progress.js";
export { readOutcome } from "./outcome.js";
export { acquireRunLock, runLockHolder } from "./lock.js";
export { lockHolder, tryLock, type Release } from "./pid-lock.js";

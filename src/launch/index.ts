export { TrainerEvent } from "./events.js";
export type { TrainerHandle, TrainerExit } from "./runtime.js";
export { startLocal } from "./local.js";
export { followTrainer, type TrainOutcome } from "./train.js";
export { ensurePython, defaultVenvDir, isVenvReady } from "./python-env.js";
export { resolveBaseModel, tinyModelDir } from "./base-model.js";
export { progressLine, formatDuration } from "./progress-line.js";
export * from "./run-dir.js";
export { packageRoot, generateScript } from "./paths.js";

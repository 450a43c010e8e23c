// The launch stage: where a run trains and evaluates (a Runtime per runtime.type), the Python environment,
// the base model, and the trainer's event stream.
export { TrainerEvent } from "../run-dir/index.js";
export type {
  TrainerHandle,
  TrainerExit,
  Runtime,
  Placement,
  PrepareInput,
  TrainRequest,
} from "./runtime.js";
export { runtimeFor, registerRuntime, registeredRuntimes } from "./registry.js";
export { localRuntime } from "./local-runtime.js";
export { rayClusterDevices } from "./ray/cluster-devices.js";
export type { GenerateJob } from "./generate-job.js";
export { followTrainer, type TrainOutcome } from "./train.js";
export { ensurePython, defaultVenvDir, isVenvReady } from "./python-env.js";
export { resolveBaseModel, isHubBaseModel } from "./base-model.js";
export { progressLine, formatDuration } from "./progress-line.js";
export { packageRoot, generateScript, trackingRequirements } from "./paths.js";
export { startTrackingWriter, gitCommit } from "./tracking-writer.js";
export { watchParent } from "./parent-watch.js";
export { discoverGpus, parseNvidiaSmi, type Gpu } from "./gpus.js";
export { tinyModelDir } from "./paths.js";
export { assertFreeDisk, freeBytes, totalBytes } from "./disk.js";
export { formatBytes, parseSize } from "./sizes.js";
export { mergeAdapter, type MergeJob } from "./merge.js";

// The config stage: run config YAML → resolved RunConfig → TrainSpec.
export { loadConfig, type LoadOptions, type LoadedConfig } from "./load.js";
export { renderTrainSpec, previewTrainSpec, type RenderOptions } from "./render.js";
export { configHash, canonicalJson } from "./hash.js";
export {
  RunConfig,
  type DatasetConfig,
  configJsonSchema,
  BUILTIN_TINY,
  DATASET_FORMATS,
  TEMPLATES,
} from "./schema.js";
export type { Runtime, DockerRuntime } from "./runtime-schema.js";
export { worldSize } from "./runtime-schema.js";
export { Tracking, MlflowTracking, WandbTracking } from "./tracking-schema.js";
export { TrainSpec, trainSpecJsonSchema } from "./train-spec.js";
// For other stages that read their own YAML files (eval suites) with the same file:line problems.
export { readConfigFile, type ConfigLayer, type ReadOptions } from "./yaml-file.js";
export { interpolateEnv, keepingUnset, type Env } from "./interpolate.js";
export { ProblemList } from "./problems.js";
export { reportIssues } from "./issues.js";
export { suggestKey } from "./known-keys.js";
export { showPath } from "./show-path.js";

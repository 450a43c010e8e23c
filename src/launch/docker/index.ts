export { dockerRunArgs, dockerCreateArgs, MANAGED_LABEL, RUN_ID_LABEL } from "./args.js";
export { startDocker } from "./runtime.js";
export { assertDaemon, assertImage, resolveEngine } from "./cli.js";
export { dockerPreflight, type DockerPreflight } from "./preflight.js";
export { engineFor, type Engine, type EngineInfo } from "./engine.js";
export { leftoverContainers, removeContainer } from "./cleanup.js";
export { buildImage, type BuildOptions } from "./build.js";
export { dockerRuntime, withAssignedGpus } from "./docker-runtime.js";
export { generateInDocker } from "./generate.js";

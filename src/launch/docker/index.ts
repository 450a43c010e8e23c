export { dockerRunArgs, MANAGED_LABEL, RUN_ID_LABEL } from "./args.js";
export { startDocker } from "./runtime.js";
export { assertDaemon, assertImage, assertLocalEngine } from "./cli.js";
export { leftoverContainers, removeContainer } from "./cleanup.js";
export { buildImage, type BuildOptions } from "./build.js";
export { withAssignedGpus } from "./assigned-gpus.js";

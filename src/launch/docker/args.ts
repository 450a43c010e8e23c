import type { DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { CONTAINER, mountFlag, planMounts, runDirPath } from "./mounts.js";

export const MANAGED_LABEL = "pipeline.managed=true";
export const RUN_ID_LABEL = "pipeline.run-id";

export interface ContainerPaths {
  /** The container's name (unique per start). */
  name: string;
  /** The run directory on the host (mounted writable). */
  runDir: string;
  /** The spec with container paths, written inside the run directory. */
  specFile: string;
  /** The 0600 secrets file outside the run directory, mounted read-only; absent when there are none. */
  secretsFile?: string;
  /** uid[:gid] to run as; undefined keeps the image's user. */
  user?: string;
}

/**
 * The `docker run` arguments (after `docker`) for one training start. Pure: an argument array, never a
 * shell string. Secrets never appear here: only the path of the file that holds them. The container is
 * kept after it exits (no --rm) so its state (exit code, OOM-killed) can be read, then removed.
 */
export function dockerRunArgs(spec: TrainSpec, runtime: DockerRuntime, paths: ContainerPaths): string[] {
  const { mounts } = planMounts(spec, paths.runDir);
  const args = ["run", "--name", paths.name];
  args.push("--label", `${RUN_ID_LABEL}=${spec.run_id}`, "--label", MANAGED_LABEL);
  // The CLI is attached for the event stream; signals go through `docker stop`, not the attached CLI.
  args.push("--sig-proxy=false", "--network", runtime.network);
  if (spec.device !== "cpu" && runtime.gpus !== "none") args.push("--gpus", gpusValue(runtime.gpus));
  if (runtime.ipc === "host") args.push("--ipc", "host");
  else args.push("--shm-size", runtime.shm_size);
  if (runtime.cpus !== undefined) args.push("--cpus", String(runtime.cpus));
  // Swap equal to memory: over the limit means killed, which the runtime reports as out-of-memory.
  if (runtime.memory !== undefined) args.push("--memory", runtime.memory, "--memory-swap", runtime.memory);
  if (paths.user !== undefined) args.push("--user", paths.user);
  for (const mount of mounts) args.push("--mount", mountFlag(mount));
  if (paths.secretsFile !== undefined) {
    args.push("--mount", mountFlag({ source: paths.secretsFile, target: CONTAINER.secrets, readonly: true }));
    args.push("--env", `PIPELINE_SECRETS_FILE=${CONTAINER.secrets}`);
  }
  args.push(runtime.image, "--spec", runDirPath(paths.runDir, paths.specFile) ?? paths.specFile);
  return args;
}

/** `device=0,1` needs docker's own quoting (the value is CSV); all and counts go as they are. */
function gpusValue(gpus: string): string {
  return gpus.startsWith("device=") ? `"${gpus}"` : gpus;
}

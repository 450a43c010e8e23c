import { isAbsolute } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import type { TrainSpec } from "../../config/train-spec.js";
import { CONTAINER, mountFlag, planMounts, runDirPath } from "./mounts.js";
import { trainerArgs } from "../trainer-args.js";
import { wantsGpus } from "./preflight-rules.js";
import { REMOTE } from "./transfer.js";

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
 * The `docker run` arguments (after `docker`) for one training start on a local engine. Pure: an
 * argument array, never a shell string. Secrets never appear here: only the path of the file that holds
 * them. The container is kept after it exits (no --rm) so its state (exit code, OOM-killed) can be read.
 */
export function dockerRunArgs(spec: TrainSpec, runtime: DockerRuntime, paths: ContainerPaths): string[] {
  const { mounts } = planMounts(spec, paths.runDir);
  // The CLI is attached for the event stream; signals go through `docker stop`, not the attached CLI.
  const args = ["run", ...containerFlags(spec, runtime, paths.name, paths.user), "--sig-proxy=false"];
  for (const mount of mounts) args.push("--mount", mountFlag(mount));
  if (paths.secretsFile !== undefined) {
    args.push("--mount", mountFlag({ source: paths.secretsFile, target: CONTAINER.secrets, readonly: true }));
    args.push("--env", `PIPELINE_SECRETS_FILE=${CONTAINER.secrets}`);
  }
  args.push(...trainerCommand(runtime, runDirPath(paths.runDir, paths.specFile) ?? paths.specFile));
  return args;
}

export const TRAIN_IN_IMAGE = "/app/docker/train.py";

/**
 * The image and what follows it: the image's entrypoint (one trainer) given the spec, or, with several
 * processes, torchrun as the entrypoint starting them in the one container (ranks on its loopback).
 */
export function trainerCommand(runtime: DockerRuntime, specPath: string): string[] {
  if (runtime.processes === 1) return [runtime.image, "--spec", specPath];
  const env = ["--env", "GLOO_SOCKET_IFNAME=lo"];
  return [
    ...env,
    "--entrypoint",
    "python",
    runtime.image,
    ...trainerArgs(TRAIN_IN_IMAGE, specPath, runtime.processes),
  ];
}

/**
 * The `docker create` arguments for a remote engine: no mount of any kind (inputs are copied in, outputs
 * copied out). With secrets, stdin stays open: the trainer reads one JSON line of them from it, so they
 * never sit in a file or in the container's config on the remote host.
 */
export function dockerCreateArgs(
  spec: TrainSpec,
  runtime: DockerRuntime,
  options: { name: string; user?: string; secretsOnStdin: boolean },
): string[] {
  const args = ["create", ...containerFlags(spec, runtime, options.name, options.user)];
  if (options.secretsOnStdin) args.push("--interactive", "--env", "PIPELINE_SECRETS_STDIN=1");
  args.push(...trainerCommand(runtime, REMOTE.spec));
  return args;
}

/** What a container needs to know of its job: whose it is, which model it loads, where it computes. */
export interface ContainerJob {
  runId: string;
  baseModel: string;
  device: string;
}

const jobOf = (spec: TrainSpec): ContainerJob => ({
  runId: spec.run_id,
  baseModel: spec.base_model,
  device: spec.device,
});

/** What every container of a run shares (training and generation): name, labels, network, GPUs, limits, user. */
export function containerFlags(
  job: ContainerJob | TrainSpec,
  runtime: DockerRuntime,
  name: string,
  user: string | undefined,
): string[] {
  const { runId, baseModel, device } = "run_id" in job ? jobOf(job) : job;
  const args = ["--name", name, "--label", `${RUN_ID_LABEL}=${runId}`, "--label", MANAGED_LABEL];
  args.push("--network", runtime.network);
  // The image is offline by default (HF_HUB_OFFLINE=1); a hub id as base model is downloaded in the container.
  if (!isAbsolute(baseModel)) args.push("--env", "HF_HUB_OFFLINE=0");
  if (wantsGpus(device, runtime.gpus)) args.push("--gpus", gpusValue(runtime.gpus));
  if (runtime.ipc === "host") args.push("--ipc", "host");
  else args.push("--shm-size", runtime.shm_size);
  if (runtime.cpus !== undefined) args.push("--cpus", String(runtime.cpus));
  // Swap equal to memory: over the limit means killed, which the runtime reports as out-of-memory.
  if (runtime.memory !== undefined) args.push("--memory", runtime.memory, "--memory-swap", runtime.memory);
  if (user !== undefined) args.push("--user", user);
  return args;
}

/** `device=0,1` needs docker's own quoting (the value is CSV); all and counts go as they are. */
export function gpusValue(gpus: string): string {
  return gpus.startsWith("device=") ? `"${gpus}"` : gpus;
}

import { isAbsolute } from "node:path";
import type { DockerRuntime } from "../../config/index.js";
import { UsageError } from "../../errors/index.js";
import type { Placement, PrepareInput, Runtime } from "../runtime.js";
import { docker } from "./cli.js";
import type { EngineInfo } from "./engine.js";
import { generateInDocker } from "./generate.js";
import { dockerPreflight } from "./preflight.js";
import { wantsGpus } from "./preflight-rules.js";
import { startDocker } from "./runtime.js";

/**
 * The `docker` runtime: training and generation in the trainer image on one Docker engine (this machine's, or
 * another's over ssh:// or tcp://), resolved and checked once by `prepare`. A queue worker's GPUs come in as
 * PIPELINE_GPUS ("0,1"; "" for none) and replace runtime.gpus.
 */
export function dockerRuntime(configured: DockerRuntime, env = process.env): Runtime {
  const config = withAssignedGpus(configured, env);
  let engine: EngineInfo | undefined;
  const prepared = () => {
    if (!engine) throw new Error("docker runtime: prepare() was not called");
    return engine;
  };
  return {
    async prepare(input: PrepareInput): Promise<Placement> {
      assertHubReachable(config, input.baseModel);
      const inputs = [...input.inputs, ...(isAbsolute(input.baseModel) ? [input.baseModel] : [])];
      const checked = await dockerPreflight(config, {
        device: input.device,
        inputs,
        runId: input.runId,
        onProgress: input.onProgress,
      });
      engine = checked.info;
      const gpus = wantsGpus(input.device, config.gpus) ? await gpuIndices(config, checked.info) : [];
      const how = checked.info.remote
        ? "remote: inputs copied in, outputs copied back"
        : "local: bind mounts";
      return {
        runtime: "docker",
        where: `docker ${config.image} on ${checked.info.endpoint} (${how})`,
        gpus,
        image: { name: config.image, id: checked.imageId },
        endpoint: checked.info.endpoint,
      };
    },
    train: (request) => startDocker(config, { ...request, engine: prepared() }),
    generate: (job) => generateInDocker(config, prepared(), job),
  };
}

/** A worker's assignment replaces the configured GPUs: `device=0,1`, or none. */
export function withAssignedGpus(runtime: DockerRuntime, env: NodeJS.ProcessEnv): DockerRuntime {
  const assigned = env.PIPELINE_GPUS;
  if (assigned === undefined) return runtime;
  return { ...runtime, gpus: assigned.trim() === "" ? "none" : `device=${assigned.trim()}` };
}

/** `device=0,1` → [0, 1]; a count N → [0 … N-1]; all → what nvidia-smi lists in a container (else one). */
async function gpuIndices(runtime: DockerRuntime, info: EngineInfo): Promise<number[]> {
  const gpus = runtime.gpus;
  if (gpus.startsWith("device=")) return gpus.slice("device=".length).split(",").map(Number);
  if (/^[0-9]+$/.test(gpus)) return [...Array(Number(gpus)).keys()];
  const listed = await docker(
    ["run", "--rm", "--network", "none", "--gpus", "all", "--entrypoint", "nvidia-smi", runtime.image, "-L"],
    info.engine,
  );
  const count = listed.failed
    ? 1
    : String(listed.stdout)
        .split("\n")
        .filter((l) => l.startsWith("GPU ")).length;
  return [...Array(Math.max(count, 1)).keys()];
}

function assertHubReachable(runtime: DockerRuntime, baseModel: string): void {
  if (isAbsolute(baseModel) || runtime.network !== "none") return;
  throw new UsageError(
    "docker-hub-model-offline",
    `base_model ${baseModel} is a hub id, which the container must download, but runtime.network is none`,
    {
      hint:
        "set runtime.network (e.g. bridge, or host) so the container can reach the hub (a token goes in as a " +
        "secret, HF_TOKEN), or point base_model at a local model directory, which is mounted or copied in",
    },
  );
}

import type { Runtime } from "../../config/index.js";

/**
 * A queue worker gives each job its own GPUs through PIPELINE_GPUS ("0,1"; "" for none). For the docker
 * runtime that replaces `runtime.gpus` with `device=0,1` (or `none`); the local runtime gets the same
 * devices through CUDA_VISIBLE_DEVICES, which the worker sets.
 */
export function withAssignedGpus(runtime: Runtime, env = process.env): Runtime {
  const assigned = env.PIPELINE_GPUS;
  if (runtime.type !== "docker" || assigned === undefined) return runtime;
  return { ...runtime, gpus: assigned.trim() === "" ? "none" : `device=${assigned.trim()}` };
}

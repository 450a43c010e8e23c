import { basename } from "node:path";
import type { TrainSpec } from "../../config/train-spec.js";
import type { StoreBlock } from "./store.js";

export interface RayShape {
  num_workers: number;
  gpus_per_worker: number;
}

/**
 * job.json, what docker/ray_job.py reads: the workers and the spec with cluster paths. Every path in it is
 * relative: a key of the run's folder in the store, and the same path under each node's work folder once
 * pulled there (inputs/data/…, model/, checkpoints/step-…); outputs go to out/ and to the store. Pure.
 */
export function clusterJob(spec: TrainSpec, ray: RayShape, store: StoreBlock, modelInStore: boolean) {
  const split = (path: string) => `inputs/data/${basename(path)}`;
  return {
    kind: "train" as const,
    workers: ray.num_workers,
    gpus_per_worker: ray.gpus_per_worker,
    model_in_store: modelInStore,
    spec: {
      ...spec,
      base_model: modelInStore ? "model" : spec.base_model,
      data: { train: split(spec.data.train), eval: spec.data.eval === null ? null : split(spec.data.eval) },
      output: { checkpoint_dir: "out/checkpoints", adapter_dir: "out/adapter" },
      resume_from: spec.resume_from === null ? null : `checkpoints/${basename(spec.resume_from)}`,
      init_adapter: spec.init_adapter === null ? null : `inputs/${basename(spec.init_adapter)}`,
      store,
    } satisfies TrainSpec,
  };
}

import { isAbsolute, join } from "node:path";
import type { TrainSpec } from "../../config/train-spec.js";
import { ADAPTER_FILES } from "../../run-dir/index.js";
import type { RunConfig, Runtime as RuntimeConfig } from "../../config/index.js";
import type { Placement, PrepareInput, Runtime, TrainRequest } from "../runtime.js";
import { clusterCapacity } from "./capacity.js";
import { jobHandle } from "./handle.js";
import { clusterJob } from "./job.js";
import { RayJobsApi } from "./jobs-api.js";
import { generateOnCluster } from "./generate.js";
import { requireS3, storeBlock, uploadInputs } from "./store.js";
import { submissionId, submitJob } from "./submit.js";
import { rayToken } from "./token.js";

/** The run's copy of its init adapter travels with the inputs (inputs/init-adapter/…), like the splits. */
export const initAdapterFiles = (spec: TrainSpec) =>
  spec.init_adapter === null ? [] : ADAPTER_FILES.map((file) => join(spec.init_adapter!, file));

type RayConfig = Extract<RuntimeConfig, { type: "ray" }>;

/**
 * The `ray` runtime: a job on an existing Ray cluster through its Jobs REST API. `prepare` checks the address,
 * the token and that the cluster has the nodes the run asks for; `train` puts the inputs in the store, uploads
 * the job's package (the trainer's code, job.json, the secrets) and submits `docker/ray_job.py`, then follows
 * the job's log and status (src/launch/ray/handle.ts); `generate` runs each evaluation as a job of its own on one
 * worker, its inputs and results through the store too (src/launch/ray/generate.ts).
 */
export function rayRuntime(config: RayConfig, env = process.env): Runtime {
  const api = new RayJobsApi(config.address, rayToken(env));
  let stored: RunConfig["checkpoints"] | undefined;
  return {
    async prepare(input: PrepareInput): Promise<Placement> {
      stored = requireS3(input.checkpoints);
      const { ray_version } = await api.version();
      const capacity = clusterCapacity((await api.nodes()).data.summary, config);
      const each = config.gpus_per_worker ? `${config.gpus_per_worker} GPU(s)` : "CPU";
      const cluster = `ray ${ray_version} at ${config.address}`;
      return {
        runtime: "ray",
        where: `${cluster}: ${config.num_workers} worker(s) × ${each} on ${capacity.description}`,
        evaluatedOn: `${cluster}: 1 worker × ${each} (a job per suite)`,
        gpus: [],
        endpoint: config.address,
        outputsInStore: true,
      };
    },
    async train(request: TrainRequest) {
      const checkpoints = requireS3(request.checkpoints);
      const { spec } = request;
      const runId = spec.run_id;
      const modelDir = isAbsolute(spec.base_model) ? spec.base_model : undefined;
      const inputs = [
        spec.data.train,
        ...(spec.data.eval === null ? [] : [spec.data.eval]),
        ...initAdapterFiles(spec),
      ];
      const { id, attach } = await submissionId(api, runId);
      if (!attach) {
        await uploadInputs(checkpoints, runId, request.runDir, inputs, modelDir);
        const job = clusterJob(spec, config, storeBlock(checkpoints, runId, env), modelDir !== undefined);
        await submitJob(api, id, job, env);
      }
      return jobHandle(api, id, { runId, runDir: request.runDir, logPath: request.logPath, checkpoints });
    },
    generate(job) {
      if (!stored) throw new Error("ray runtime: prepare() was not called");
      return generateOnCluster(api, config, stored, job, env);
    },
  };
}

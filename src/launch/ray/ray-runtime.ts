import { isAbsolute } from "node:path";
import type { Runtime as RuntimeConfig } from "../../config/index.js";
import { isS3Uri } from "../../checkpoints/index.js";
import { FailedError } from "../../errors/index.js";
import { SECRET_NAMES } from "../docker/secrets.js";
import type { Placement, PrepareInput, Runtime, TrainRequest } from "../runtime.js";
import { clusterCapacity } from "./capacity.js";
import { jobHandle } from "./handle.js";
import { clusterJob } from "./job.js";
import { RayJobsApi } from "./jobs-api.js";
import { jobPackage } from "./package.js";
import { needsS3, storeBlock, uploadInputs } from "./store.js";
import { submissionId } from "./submit.js";
import { rayToken } from "./token.js";

type RayConfig = Extract<RuntimeConfig, { type: "ray" }>;

/** How long Ray waits after SIGTERM before SIGKILL: the trainer's step, checkpoint and upload to the store. */
export const STOP_WAIT_S = 600;

/**
 * The `ray` runtime: a job on an existing Ray cluster through its Jobs REST API. `prepare` checks the address,
 * the token and that the cluster has the nodes the run asks for; `train` puts the inputs in the store, uploads
 * the job's package (the trainer's code, job.json, the secrets) and submits `docker/ray_job.py`, then follows
 * the job's log and status (src/launch/ray/handle.ts).
 */
export function rayRuntime(config: RayConfig, env = process.env): Runtime {
  const api = new RayJobsApi(config.address, rayToken(env));
  return {
    async prepare(input: PrepareInput): Promise<Placement> {
      const store = input.checkpoints?.store ?? "runs";
      if (!isS3Uri(store)) throw needsS3(store);
      const { ray_version } = await api.version();
      const capacity = clusterCapacity((await api.nodes()).data.summary, config);
      const each = config.gpus_per_worker ? `${config.gpus_per_worker} GPU(s)` : "CPU";
      return {
        runtime: "ray",
        where: `ray ${ray_version} at ${config.address}: ${config.num_workers} worker(s) × ${each} on ${capacity.description}`,
        gpus: [],
        endpoint: config.address,
        outputsInStore: true,
      };
    },
    async train(request: TrainRequest) {
      const checkpoints = request.checkpoints;
      if (!checkpoints || !isS3Uri(checkpoints.store)) throw needsS3(checkpoints?.store ?? "runs");
      const { spec } = request;
      const runId = spec.run_id;
      const modelDir = isAbsolute(spec.base_model) ? spec.base_model : undefined;
      const data = [spec.data.train, ...(spec.data.eval === null ? [] : [spec.data.eval])];
      const { id, attach } = await submissionId(api, runId);
      if (!attach) {
        await uploadInputs(checkpoints, runId, request.runDir, data, modelDir);
        const job = clusterJob(spec, config, storeBlock(checkpoints, runId, env), modelDir !== undefined);
        const pkg = jobPackage(job, secretsOf(env));
        await api.putPackage(pkg.name, pkg.zip);
        await api.submit({
          entrypoint: "python docker/ray_job.py --job job.json",
          submission_id: id,
          runtime_env: {
            working_dir: `gcs://${pkg.name}`,
            // Nothing secret here: GET /api/jobs/<id> shows these. docker/ on the path of every actor.
            env_vars: {
              RAY_JOB_STOP_WAIT_TIME_S: String(STOP_WAIT_S),
              PYTHONUNBUFFERED: "1",
              PYTHONPATH: "docker",
            },
          },
        });
      }
      return jobHandle(api, id, { runId, runDir: request.runDir, logPath: request.logPath, checkpoints });
    },
    generate() {
      return Promise.reject(
        new FailedError("ray-generate", "evaluation on a ray runtime is not available yet", {
          hint: "train without a held-out split (eval_split: 0) and evaluate the adapter with `pipeline eval`",
        }),
      );
    },
  };
}

/** The secrets that are set (the hub token, store credentials): they travel in the job's package only. */
function secretsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(SECRET_NAMES.filter((name) => env[name]).map((name) => [name, env[name]!]));
}

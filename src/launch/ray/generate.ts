import { appendFile, mkdtemp, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { RunConfig } from "../../config/index.js";
import type { GenerateJob } from "../generate-job.js";
import { generationFailed } from "../local-generate.js";
import { followJob } from "./follow.js";
import type { RayJobsApi } from "./jobs-api.js";
import { pullFolder, pushFiles, storeBlock } from "./store.js";
import { submissionId, submitJob } from "./submit.js";

/**
 * An evaluation on the cluster, beside the training it follows: the prompts go to the store
 * (`<run>/eval/<suite>/prompts/`), one node pulls them with the base model and the adapter, runs generate.py,
 * and writes both result files to `<run>/eval/<suite>/out/`, which come back (verified) to where the job wants them.
 */
export async function generateOnCluster(
  api: RayJobsApi,
  ray: { gpus_per_worker: number },
  checkpoints: RunConfig["checkpoints"],
  job: GenerateJob,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const suite = `eval/${basename(dirname(job.prompts))}`;
  await pushFiles(checkpoints, job.runId, dirname(job.prompts), [basename(job.prompts)], `${suite}/prompts`);
  const modelInStore = isAbsolute(job.model);
  const description = {
    kind: "generate",
    run_id: job.runId,
    gpus_per_worker: ray.gpus_per_worker,
    model_in_store: modelInStore,
    store: storeBlock(checkpoints, job.runId, env),
    generate: {
      model: modelInStore ? "model" : job.model,
      prompts_key: `${suite}/prompts`,
      prompts: basename(job.prompts),
      out: basename(job.out),
      base_out: basename(job.baseOut),
      out_key: `${suite}/out`,
      batch_size: job.batchSize,
      max_new_tokens: job.maxNewTokens,
      device: job.device,
      seed: job.seed,
    },
  };
  const { id } = await submissionId(api, `${job.runId}-${basename(dirname(job.prompts))}`);
  await submitJob(api, id, description, env);
  const followed = followJob(api, id);
  for await (const line of followed.lines) await appendFile(job.logPath, `[${id}] ${line}\n`);
  const ended = await followed.ended;
  if (ended.status !== "SUCCEEDED")
    throw generationFailed(job, `Ray job ${id} ${ended.status}: ${ended.message}`);
  const tmp = await mkdtemp(join(dirname(job.out), ".pull-"));
  try {
    await pullFolder(checkpoints, job.runId, `${suite}/out`, join(tmp, "out"));
    await rename(join(tmp, "out", basename(job.out)), job.out);
    await rename(join(tmp, "out", basename(job.baseOut)), job.baseOut);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

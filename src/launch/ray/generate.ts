import { appendFile, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { RunConfig } from "../../config/index.js";
import { InterruptedError } from "../../errors/index.js";
import { type GenerateJob, generateFlags } from "../generate-job.js";
import { generationFailed } from "../local-generate.js";
import { followJob } from "./follow.js";
import type { RayJobsApi } from "./jobs-api.js";
import { pullFolder, pushFiles, type StoreBlock, storeBlock } from "./store.js";
import { submissionId, submitJob } from "./submit.js";

/**
 * job.json of an evaluation, what docker/ray_job.py reads: generate.py's flags (generateFlags, as every runtime
 * passes them) with paths relative to the node's work folder, where the node pulls `model/` (a base model on
 * this disk), `adapter/` and `prompts/` (and `champion/`, eval.compare_to's adapter) from the run's folder in
 * the store, and from where it pushes `out/`.
 * Pure.
 */
export function clusterGenerateJob(
  job: GenerateJob,
  ray: { gpus_per_worker: number },
  store: StoreBlock,
  suite: string,
) {
  const modelInStore = isAbsolute(job.model);
  return {
    kind: "generate" as const,
    run_id: job.runId,
    gpus_per_worker: ray.gpus_per_worker,
    model_in_store: modelInStore,
    store,
    generate: {
      prompts_key: `eval/${suite}/prompts`,
      out_key: `eval/${suite}/out`,
      champion_key: job.champion ? `eval/${suite}/champion` : null,
      args: generateFlags({
        ...job,
        model: modelInStore ? "model" : job.model,
        adapter: "adapter",
        prompts: `prompts/${basename(job.prompts)}`,
        out: `out/${basename(job.out)}`,
        baseOut: `out/${basename(job.baseOut)}`,
        champion: job.champion && { adapter: "champion", out: `out/${basename(job.champion.out)}` },
      }),
    },
  };
}

/**
 * An evaluation on the cluster, beside the training it follows: the prompts go to the store
 * (`<run>/eval/<suite>/prompts/`), one node pulls them with the base model and the adapter the training left
 * there, runs generate.py, and writes both result files to `<run>/eval/<suite>/out/`; they come back, verified,
 * to where the job wants them. The job's log goes to the trainer log; Ctrl-C / SIGTERM stop the job (exit 130).
 */
export async function generateOnCluster(
  api: RayJobsApi,
  ray: { gpus_per_worker: number },
  checkpoints: RunConfig["checkpoints"],
  job: GenerateJob,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const suite = basename(dirname(job.prompts));
  await pushFiles(
    checkpoints,
    job.runId,
    dirname(job.prompts),
    [basename(job.prompts)],
    `eval/${suite}/prompts`,
  );
  if (job.champion) {
    // The store writes its own manifest of what was sent; the adapter's own one stays behind.
    const entries = await readdir(job.champion.adapter, { withFileTypes: true });
    const names = entries.filter((f) => f.isFile() && f.name !== "manifest.json").map((f) => f.name);
    await pushFiles(checkpoints, job.runId, job.champion.adapter, names, `eval/${suite}/champion`);
  }
  const description = clusterGenerateJob(job, ray, storeBlock(checkpoints, job.runId, env), suite);
  const { id, attach } = await submissionId(api, `${job.runId}-${suite.replace(/[^A-Za-z0-9._-]/g, "_")}`);
  if (!attach) await submitJob(api, id, description, env);
  const followed = followJob(api, id);
  let interrupted = false;
  let error: string | undefined; // the driver's error event: why, better than the job's exit code
  const onSignal = () => {
    interrupted = true;
    void api.stop(id).catch(() => undefined);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    for await (const line of followed.lines) {
      error = errorEvent(line) ?? error;
      await appendFile(job.logPath, `[${id}] ${line}\n`);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  const ended = await followed.ended;
  if (interrupted || ended.status === "STOPPED")
    throw new InterruptedError(
      `run ${job.runId} was stopped while evaluating (Ray job ${id} ${ended.status})`,
      `training had finished: the adapter is in ${job.adapter}; evaluate it with pipeline eval`,
    );
  if (ended.status !== "SUCCEEDED")
    throw generationFailed(job, `Ray job ${id} ${ended.status}: ${error ?? ended.message ?? "no message"}`);
  const tmp = await mkdtemp(join(dirname(job.out), ".pull-"));
  try {
    await pullFolder(checkpoints, job.runId, `eval/${suite}/out`, tmp);
    await rename(join(tmp, basename(job.out)), job.out);
    await rename(join(tmp, basename(job.baseOut)), job.baseOut);
    if (job.champion) await rename(join(tmp, basename(job.champion.out)), job.champion.out);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** `[code] message` of an error event line of the driver (docker/ray_job.py), else undefined. */
function errorEvent(line: string): string | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const event = JSON.parse(line) as { type?: string; code?: string; message?: string };
    return event.type === "error" ? `[${event.code}] ${event.message}` : undefined;
  } catch {
    return undefined;
  }
}

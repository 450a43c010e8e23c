import { SECRET_NAMES } from "../docker/secrets.js";
import { TERMINAL, type RayJobsApi } from "./jobs-api.js";
import { jobPackage } from "./package.js";

/** How long Ray waits after SIGTERM before SIGKILL: the trainer's step, checkpoint and upload to the store. */
export const STOP_WAIT_S = 600;

/**
 * Uploads the job's package (the trainer's code, job.json, the secrets that are set) and submits
 * `docker/ray_job.py` under `id`. Nothing secret in runtime_env: `GET /api/jobs/<id>` shows it.
 */
export async function submitJob(
  api: RayJobsApi,
  id: string,
  job: unknown,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const secrets = Object.fromEntries(
    SECRET_NAMES.filter((name) => env[name]).map((name) => [name, env[name]!]),
  );
  const pkg = jobPackage(job, secrets);
  await api.putPackage(pkg.name, pkg.zip);
  await api.submit({
    entrypoint: "python docker/ray_job.py --job job.json",
    submission_id: id,
    runtime_env: {
      working_dir: `gcs://${pkg.name}`,
      // docker/ on the path of every actor (the working dir is the package's root)
      env_vars: {
        RAY_JOB_STOP_WAIT_TIME_S: String(STOP_WAIT_S),
        PYTHONUNBUFFERED: "1",
        PYTHONPATH: "docker",
      },
      // Unpacked only where an actor of the job runs (and deletes the secrets), not on every node at start.
      config: { eager_install: false },
    },
  });
}

/**
 * The submission id of this start of a run: the run id itself the first time; once a job of that id has ended
 * (a stopped or failed attempt that is now resumed), the run id with the next free suffix (`<run-id>.2`, …).
 * A job of the run that is still running is followed instead of submitted again (`attach`). Ray answers a
 * duplicate POST with HTTP 500 "already exists", so every id is looked up first.
 */
export async function submissionId(api: RayJobsApi, runId: string): Promise<{ id: string; attach: boolean }> {
  for (let n = 1; ; n++) {
    const id = n === 1 ? runId : `${runId}.${n}`;
    const job = await api.job(id);
    if (!job) return { id, attach: false };
    if (!TERMINAL.has(job.status)) return { id, attach: true };
  }
}

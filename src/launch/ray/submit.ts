import { TERMINAL, type RayJobsApi } from "./jobs-api.js";

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

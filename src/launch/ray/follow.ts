import { setTimeout as sleep } from "node:timers/promises";
import { TERMINAL, type RayJob, type RayJobsApi } from "./jobs-api.js";

/** How often the job's status and log are read, and how long the cluster may not answer before giving up. */
const POLL_MS = 1_000;
const PATIENCE_MS = 120_000;

export interface Followed {
  /** The job's log, line by line, as it grows; ends when the job has ended and its log is read to the end. */
  lines: AsyncGenerator<string>;
  /** The job as it ended. */
  ended: Promise<RayJob>;
}

/**
 * Follows a job by polling `GET /api/jobs/<id>` and `GET /api/jobs/<id>/logs` (the whole log each time: a
 * job's log is its event stream and a little noise, so the re-read is small; the WebSocket tail would need
 * Ray's own client to authenticate). A cluster that stops answering is retried for two minutes.
 */
export function followJob(api: RayJobsApi, id: string): Followed {
  let resolveEnded!: (job: RayJob) => void;
  let rejectEnded!: (error: unknown) => void;
  const ended = new Promise<RayJob>((resolve, reject) => ((resolveEnded = resolve), (rejectEnded = reject)));
  ended.catch(() => {}); // read by wait(); a rejection here must not go unhandled first

  async function* lines(): AsyncGenerator<string> {
    let offset = 0;
    let partial = "";
    let failingSince: number | undefined;
    for (;;) {
      try {
        const job = await api.job(id);
        const { logs } = await api.logs(id);
        failingSince = undefined;
        const fresh = partial + logs.slice(offset);
        offset = logs.length;
        const parts = fresh.split("\n");
        partial = parts.pop() ?? "";
        yield* parts;
        if (job && TERMINAL.has(job.status)) {
          if (partial) yield partial;
          resolveEnded(job);
          return;
        }
      } catch (error) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > PATIENCE_MS) {
          rejectEnded(error);
          throw error;
        }
      }
      await sleep(POLL_MS);
    }
  }
  return { lines: lines(), ended };
}

import { loadConfig } from "../../config/index.js";
import { FailedError, UsageError } from "../../errors/index.js";
import {
  cancelJob,
  enqueue,
  immediate,
  JOB_STATES,
  listJobs,
  parseJobId,
  requeueExpired,
  type Job,
  type JobState,
  type NewJob,
} from "../../queue/index.js";
import { queueHooks } from "../queue/hooks.js";
import { withDb } from "../queue/open.js";
import { iso, table } from "../queue/table.js";
import { hours, integer } from "../queue/numbers.js";

interface AddOptions {
  db?: string;
  priority?: string;
  gpus?: string;
  maxRetries?: string;
  maxHours?: string;
  project?: string;
  json?: boolean;
}

/** `pipeline queue add <config...>`: every config is loaded and checked first; one bad config enqueues nothing. */
export async function queueAdd(configs: string[], options: AddOptions): Promise<number> {
  const drafts: NewJob[] = [];
  for (const file of configs) {
    const { config, file: absolute, hash } = await loadConfig(file);
    drafts.push({
      config: absolute,
      configHash: hash,
      project: options.project ?? "default",
      priority: integer("--priority", options.priority, 0, -1_000_000),
      // A config that trains on CPU needs no GPU; anything else asks for one unless told otherwise.
      gpus: integer("--gpus", options.gpus, config.device === "cpu" ? 0 : 1, 0),
      maxRetries: integer("--max-retries", options.maxRetries, 2, 0),
      maxHours: hours(options.maxHours),
    });
  }
  return withDb(options.db, async (db) => {
    const hooks = await queueHooks(db);
    for (const draft of drafts) {
      const decision = (await hooks.beforeEnqueue?.({
        config: draft.config,
        project: draft.project!,
        gpus: draft.gpus!,
        maxHours: draft.maxHours ?? null,
      })) ?? { allow: true };
      if (!decision.allow)
        throw new FailedError("enqueue-refused", `${draft.config}: ${decision.message ?? "refused"}`);
      if (decision.message) process.stderr.write(`warning: ${decision.message}\n`);
    }
    const now = Date.now();
    const jobs = immediate(db, () => drafts.map((draft) => enqueue(db, draft, now)));
    if (options.json) process.stdout.write(JSON.stringify(jobs.map(publicJob), null, 2) + "\n");
    else
      for (const job of jobs)
        process.stdout.write(
          `enqueued ${job.id}  ${job.config}  (priority ${job.priority}, gpus ${job.gpus}, project ${job.project})\n`,
        );
    return 0;
  });
}

/** `pipeline queue list [--state S] [--json]`; jobs of dead workers are requeued first. */
export async function queueList(options: { db?: string; state?: string; json?: boolean }): Promise<number> {
  const state = options.state as JobState | undefined;
  if (state !== undefined && !JOB_STATES.includes(state)) {
    throw new UsageError("bad-state", `--state ${state}: expected one of ${JOB_STATES.join(", ")}`);
  }
  return withDb(options.db, (db) => {
    requeueExpired(db, Date.now());
    const jobs = listJobs(db, state);
    if (options.json) {
      process.stdout.write(JSON.stringify(jobs.map(publicJob), null, 2) + "\n");
      return 0;
    }
    if (jobs.length === 0) {
      process.stdout.write(state ? `no ${state} jobs\n` : "the queue is empty\n");
      return 0;
    }
    const rows = [["JOB", "STATE", "PRI", "GPUS", "TRIES", "PROJECT", "RUN", "UPDATED", "MESSAGE"]];
    for (const job of jobs) {
      rows.push([
        job.id,
        job.state + (job.outcome && job.outcome !== job.state ? ` (${job.outcome})` : ""),
        String(job.priority),
        String(job.gpus),
        String(job.attempts),
        job.project,
        job.runId ?? "-",
        iso(job.updatedAt),
        job.message ?? "",
      ]);
    }
    process.stdout.write(table(rows));
    return 0;
  });
}

/** `pipeline queue cancel <job>`. */
export async function queueCancel(id: string, options: { db?: string }): Promise<number> {
  const seq = parseJobId(id);
  return withDb(options.db, (db) => {
    const job = cancelJob(db, seq, Date.now());
    process.stdout.write(
      job.state === "cancelled"
        ? `${job.id} cancelled\n`
        : `${job.id} is running on ${job.worker}: its run will be stopped (checkpoint saved) and the job cancelled\n`,
    );
    return 0;
  });
}

export function publicJob(job: Job) {
  const at = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);
  return {
    ...job,
    notBefore: at(job.notBefore),
    leaseExpiresAt: at(job.leaseExpiresAt),
    createdAt: at(job.createdAt),
    updatedAt: at(job.updatedAt),
  };
}

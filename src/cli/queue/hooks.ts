import { loadWorkspaceSettings } from "../../budget/index.js";
import { startMetricsServer, type MetricsServer, type MetricsSnapshot } from "../../metrics/index.js";
import { notify, shouldNotify, type NotifyEvent } from "../../notify/index.js";
import {
  costByProject,
  type Db,
  type Job,
  type QueueHooks,
  type WorkerHooks,
  type WorkerSnapshot,
} from "../../queue/index.js";
import { budgetFor, price, spendLines, type Workspace } from "./budget.js";

/**
 * The one place where budgets, cost, metrics and notifications (pipeline.workspace.yaml) are plugged into
 * the queue commands.
 */
export async function workerHooks(
  db: Db,
  options: { deviceType: string; log?: (line: string) => void },
): Promise<WorkerHooks> {
  const workspace = await loadWorkspaceSettings();
  const log = options.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const send = notifier(workspace, log);
  let server: MetricsServer | undefined;
  const notifiedBudget = new Set<string>();
  return {
    beforeStart(job) {
      const check = budgetFor(db, workspace, job, Date.now(), options.deviceType);
      if (!check.allowed || check.warn) {
        // One budget notification per job and verdict, not one per retry of a refused start.
        const key = `${job.id}:${check.allowed}`;
        if (!notifiedBudget.has(key)) {
          notifiedBudget.add(key);
          send({ kind: "budget", job: job.id, project: job.project, message: check.message });
        }
      }
      if (check.warn && check.allowed) log(`${job.id}: warning: ${check.message}`);
      return Promise.resolve({ allow: check.allowed, ...(!check.allowed && { message: check.message }) });
    },
    priceAttempt: (deviceType, hours) => price(workspace, deviceType, hours),
    onJobEnd(job, attempt) {
      if (job.state !== "done" && job.state !== "failed") return;
      send({
        kind: job.state,
        job: job.id,
        project: job.project,
        ...(job.runId && { run: job.runId }),
        message: endMessage(job, attempt.error),
        ...(attempt.cost !== null && { cost: { value: attempt.cost, currency: attempt.currency ?? "USD" } }),
      });
    },
    async onMetricsPort(port, snapshot) {
      server = await startMetricsServer({ port, snapshot: () => metricsSnapshot(db, snapshot()) });
      log(`metrics: ${server.url}`);
    },
    async onStop() {
      await server?.close();
      await send.flush();
    },
  };
}

export async function queueHooks(db: Db): Promise<QueueHooks> {
  const workspace = await loadWorkspaceSettings();
  return {
    beforeEnqueue(job) {
      const check = budgetFor(db, workspace, job, Date.now());
      // The queue command prints an allowed job's message as a warning: only a real one (80 %, unpriced).
      const message = !check.allowed || check.warn ? check.message : undefined;
      return Promise.resolve({ allow: check.allowed, ...(message && { message }) });
    },
  };
}

/** Spend against budgets, for `pipeline status`: its JSON field and its printed lines. */
export interface StatusSpend {
  json: unknown;
  lines: string[];
}

export async function statusSpend(db: Db, now: number): Promise<StatusSpend | null> {
  return spendLines(db, await loadWorkspaceSettings(), now);
}

function metricsSnapshot(db: Db, s: WorkerSnapshot): MetricsSnapshot {
  return {
    jobsByState: s.jobsByState,
    deviceHoursTotal: s.deviceHours.total,
    costTotal: costByProject(db),
    gpusTotal: s.gpus.total,
    gpusInUse: s.gpus.inUse,
    running: s.running.map((job) => ({
      job: job.id,
      run: job.runId ?? "",
      project: job.project,
      step: job.step,
      totalSteps: job.totalSteps,
      loss: job.loss,
    })),
  };
}

function endMessage(job: Job, error: string | null): string {
  if (job.state === "done")
    return `${job.id} finished${job.outcome === "gates-failed" ? " (a gate failed)" : ""}`;
  return `${job.id} failed after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}${error ? `: ${error}` : ""}`;
}

/** Sends notifications in the background (never delaying a job); `flush()` waits for those in flight. */
function notifier(workspace: Workspace, log: (line: string) => void) {
  const pending = new Set<Promise<unknown>>();
  const url = workspace.settings.notify.webhook;
  const send = (event: NotifyEvent) => {
    if (!url || !shouldNotify(workspace.settings, event.kind)) return;
    const sent = notify(url, event, { log }).then((result) => {
      if (!result.ok)
        log(`notification (${event.kind}, ${event.job}) not delivered: ${result.error ?? result.status}`);
    });
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  };
  send.flush = async () => {
    await Promise.allSettled([...pending]);
  };
  return send;
}

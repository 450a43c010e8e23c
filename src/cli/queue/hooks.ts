import type { Db, QueueHooks, WorkerHooks } from "../../queue/index.js";

/**
 * The one place where budgets, metrics and notifications are plugged into the queue commands. Each
 * returns no hooks for now (everything allowed, nothing priced, no endpoint).
 */
export function workerHooks(_db: Db, _options: { metricsPort?: number }): Promise<WorkerHooks> {
  return Promise.resolve({});
}

export function queueHooks(_db: Db): Promise<QueueHooks> {
  return Promise.resolve({});
}

/** Spend against budgets, for `pipeline status`: its JSON field and its printed lines. */
export interface StatusSpend {
  json: unknown;
  lines: string[];
}

export function statusSpend(_db: Db, _now: number): Promise<StatusSpend | null> {
  return Promise.resolve(null);
}

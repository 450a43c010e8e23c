import type { Attempt } from "./attempts.js";
import type { Job } from "./jobs.js";
import type { WorkerSnapshot } from "./snapshot.js";

export interface Decision {
  allow: boolean;
  /** Why not (or a warning when allowed): recorded on the job, shown by `queue list` and `status`. */
  message?: string;
}

/**
 * Where budgets, metrics and notifications plug into a worker. Every hook is optional; the defaults do
 * nothing and allow everything.
 */
export interface WorkerHooks {
  /**
   * Asked after a job is claimed and before its run starts. A refusal gives the job back: it stays
   * `queued` (the attempt is not counted), its message is recorded, and no worker takes it again before
   * `refusalDelayMs` (default 60 s) — so a job refused by a daily budget starts once the budget allows.
   */
  beforeStart?(job: Job): Promise<Decision>;
  /** The price of `deviceHours` on `deviceType` (a GPU name from nvidia-smi, or `cpu`); undefined = unpriced. */
  priceAttempt?(deviceType: string, deviceHours: number): { cost: number; currency: string } | undefined;
  /** After every attempt, with the job as it now stands (state done, failed, queued for a retry…). */
  onJobEnd?(job: Job, attempt: Attempt): Promise<void> | void;
  /** Called once at start when `--metrics-port` is given; `snapshot()` reads the current state. */
  onMetricsPort?(port: number, snapshot: () => WorkerSnapshot): Promise<void> | void;
  /** Called when the worker stops (to close a metrics server, flush notifications). */
  onStop?(): Promise<void> | void;
}

/** Hooks of `pipeline queue add`: a refusal enqueues nothing and exits 1 with the message. */
export interface QueueHooks {
  beforeEnqueue?(job: {
    config: string;
    project: string;
    gpus: number;
    maxHours: number | null;
  }): Promise<Decision>;
}

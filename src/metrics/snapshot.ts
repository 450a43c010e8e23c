/** What a worker knows at scrape time; the metrics module only renders it. */
export interface MetricsSnapshot {
  /** Jobs by state (queued, running, done, failed, …). */
  jobsByState: Record<string, number>;
  /** Device-hours used by every job so far (GPU-hours; a CPU-only job counts as one device). */
  deviceHoursTotal: number;
  /** Cost of every job so far, per project and currency. */
  costTotal: { project: string; currency: string; value: number }[];
  gpusTotal: number;
  gpusInUse: number;
  running: RunningJob[];
}

export interface RunningJob {
  job: string;
  run: string;
  project: string;
  step: number | null;
  totalSteps: number | null;
  loss: number | null;
}

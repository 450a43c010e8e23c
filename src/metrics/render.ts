import { Counter, Gauge, Registry } from "prom-client";
import { type MetricsSnapshot } from "./snapshot.js";

/** The Content-Type of the text exposition format these metrics are written in. */
export const METRICS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

const JOB_LABELS = ["job", "run", "project"] as const;

/**
 * The snapshot in Prometheus text format. A fresh registry per scrape, so a job that has finished leaves
 * no stale step or loss series behind, and nothing is shared with prom-client's global registry.
 */
export async function renderMetrics(snapshot: MetricsSnapshot): Promise<string> {
  const registry = new Registry();
  const registers = [registry];
  const jobs = new Gauge({ name: "pipeline_jobs", help: "Jobs by state.", labelNames: ["state"], registers });
  for (const [state, count] of Object.entries(snapshot.jobsByState)) jobs.set({ state }, count);

  new Counter({ name: "pipeline_device_hours_total", help: "Device-hours used by all jobs.", registers }).inc(
    Math.max(0, snapshot.deviceHoursTotal),
  );
  const cost = new Counter({
    name: "pipeline_cost_total",
    help: "Cost of all jobs, by project and currency.",
    labelNames: ["project", "currency"],
    registers,
  });
  for (const { project, currency, value } of snapshot.costTotal)
    cost.inc({ project, currency }, Math.max(0, value));

  const gpus = new Gauge({ name: "pipeline_gpus", help: "GPUs by state.", labelNames: ["state"], registers });
  gpus.set({ state: "in_use" }, snapshot.gpusInUse);
  gpus.set({ state: "free" }, Math.max(0, snapshot.gpusTotal - snapshot.gpusInUse));

  setPerJob(
    registry,
    snapshot,
    "pipeline_job_step",
    "Current optimizer step of a running job.",
    (j) => j.step,
  );
  setPerJob(
    registry,
    snapshot,
    "pipeline_job_total_steps",
    "Total steps of a running job.",
    (j) => j.totalSteps,
  );
  setPerJob(registry, snapshot, "pipeline_job_loss", "Latest training loss of a running job.", (j) => j.loss);
  return registry.metrics();
}

// A job that has not reported a value yet has no series: absent is clearer than a made-up 0.
function setPerJob(
  registry: Registry,
  snapshot: MetricsSnapshot,
  name: string,
  help: string,
  value: (job: MetricsSnapshot["running"][number]) => number | null,
): void {
  const gauge = new Gauge({ name, help, labelNames: JOB_LABELS, registers: [registry] });
  for (const job of snapshot.running) {
    const v = value(job);
    if (v !== null) gauge.set({ job: job.job, run: job.run, project: job.project }, v);
  }
}

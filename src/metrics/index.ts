// Prometheus metrics of a worker: jobs by state, device-hours, cost, GPUs, and step/loss of running jobs.
export { type MetricsSnapshot, type RunningJob } from "./snapshot.js";
export { renderMetrics, METRICS_CONTENT_TYPE } from "./render.js";
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from "./server.js";

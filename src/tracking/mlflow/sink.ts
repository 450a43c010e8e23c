import { readFile } from "node:fs/promises";
import { type Indexed, type Sink } from "../feeder.js";
import { eventPoint, type Point } from "../metrics.js";
import type { StateWriter } from "../state.js";
import type { MlflowClient } from "./client.js";
import { type MlflowRun, openRun } from "./open-run.js";

// log-batch takes at most 1,000 metrics, 100 params and 100 tags per request.
const MAX_METRICS = 1000;
const MAX_PARAMS = 100;
const MAX_TAGS = 100;

export interface MlflowSinkOptions {
  experiment: string;
  runName: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  state: StateWriter;
  info: (line: string) => void;
}

/** A run's events as MLflow metrics; its params and tags once the MLflow run is open. */
export class MlflowSink implements Sink {
  readonly label: string;
  // A step event is 6 metrics: 150 events fit one request.
  readonly batch = 150;
  private run: MlflowRun | undefined;

  constructor(
    private readonly client: MlflowClient,
    private readonly options: MlflowSinkOptions,
  ) {
    this.label = `MLflow at ${client.uri}`;
  }

  async send(events: Indexed[]): Promise<void> {
    const run = await this.open();
    const metrics = events.flatMap(({ event, index }) => toMetrics(eventPoint(event, index)));
    for (let i = 0; i < metrics.length; i += MAX_METRICS) {
      await this.client.post("runs/log-batch", {
        run_id: run.runId,
        metrics: metrics.slice(i, i + MAX_METRICS),
      });
    }
  }

  /** The run's results at its last step, its outcome as tags, files as artifacts; then its status. */
  async finish(result: {
    step: number;
    /** Unix seconds: the report's own time, so a second finish (pipeline runs sync) logs the same points. */
    time: number;
    values: Record<string, number>;
    tags: Record<string, string>;
    files: { path: string; artifact: string }[];
    status: "FINISHED" | "FAILED" | "KILLED";
  }): Promise<void> {
    const run = await this.open();
    const metrics = toMetrics({ index: 0, step: result.step, time: result.time, values: result.values });
    const tags = Object.entries(result.tags).map(([key, value]) => ({ key: `pipeline.${key}`, value }));
    for (let i = 0; i < Math.max(metrics.length, tags.length); i += MAX_TAGS) {
      const batch = { metrics: metrics.slice(i, i + MAX_TAGS), tags: tags.slice(i, i + MAX_TAGS) };
      await this.client.post("runs/log-batch", { run_id: run.runId, ...batch });
    }
    await this.uploadArtifacts(run, result.files);
    await this.client.post("runs/update", { run_id: run.runId, status: result.status, end_time: Date.now() });
  }

  async open(): Promise<MlflowRun> {
    if (this.run) return this.run;
    const { state } = this.options.state;
    const run = await openRun(this.client, {
      experiment: this.options.experiment,
      runId: state.mlflow?.run_id,
      runName: this.options.runName,
      tags: this.options.tags,
    });
    const sent = state.mlflow?.run_id === run.runId ? state.mlflow.sent : 0;
    await this.options.state.update((s) => {
      s.mlflow = { uri: this.client.uri, experiment_id: run.experimentId, run_id: run.runId, sent };
    });
    await this.logParams(run);
    this.run = run;
    return run;
  }

  private async logParams(run: MlflowRun): Promise<void> {
    const params = Object.entries(this.options.params).map(([key, value]) => ({ key, value }));
    const tags = Object.entries(this.options.tags).map(([key, value]) => ({ key, value }));
    for (let i = 0; i < Math.max(params.length, tags.length); i += MAX_PARAMS) {
      const batch = { params: params.slice(i, i + MAX_PARAMS), tags: tags.slice(i, i + MAX_TAGS) };
      await this.client.post("runs/log-batch", { run_id: run.runId, ...batch });
    }
  }

  private async uploadArtifacts(run: MlflowRun, files: { path: string; artifact: string }[]): Promise<void> {
    const root = /^mlflow-artifacts:\/*(.*)$/.exec(run.artifactUri)?.[1];
    if (root === undefined) {
      this.options.info(
        `${this.label}: artifacts not uploaded: the server keeps them at ${run.artifactUri.split(":")[0]}:, ` +
          "which its REST API does not write (start it with --serve-artifacts)",
      );
      return;
    }
    for (const file of files) {
      const bytes = await readFile(file.path).catch(() => undefined);
      if (bytes) await this.client.putArtifact(`${root.replace(/\/+$/, "")}/${file.artifact}`, bytes);
    }
  }
}

function toMetrics(point: Point | undefined) {
  if (!point || point.restart) return [];
  const timestamp = Math.round(point.time * 1000);
  return Object.entries(point.values).map(([key, value]) => ({ key, value, timestamp, step: point.step }));
}
